/// The search's current order of linearized operations (call nodes, each with the state before
/// it), and a copy of the order as it was at the deepest dead end so far.
///
/// The copy is brought up to date in time proportional to the pushes since it was last taken,
/// not to its length: the search records a new deepest dead end after every advance that fails,
/// and copying the whole order each time made long histories quadratic.
struct LinearizationStack<State> {
  private var chosen: [(node: Int, stateBefore: State)] = []
  /// The order at the deepest dead end recorded, empty before the first.
  private(set) var deepest: [Int] = []
  private var hasDeepest = false
  /// How many leading entries of `chosen` are still those of `deepest`.
  private var unchanged = 0

  /// How many operations are linearized.
  var count: Int { chosen.count }

  /// Linearizes the operation called at `node`, which left the object in a state after
  /// `stateBefore`.
  mutating func push(_ node: Int, stateBefore: State) {
    chosen.append((node, stateBefore))
  }

  /// Undoes the last linearization, or returns `nil` when nothing is linearized.
  mutating func pop() -> (node: Int, stateBefore: State)? {
    guard let last = chosen.popLast() else { return nil }
    unchanged = min(unchanged, chosen.count)
    return last
  }

  /// Takes the current order as the deepest dead end if it is deeper than the one recorded (or
  /// is the first).
  /// - Returns: Whether it did.
  mutating func recordIfDeeper() -> Bool {
    guard !hasDeepest || chosen.count > deepest.count else { return false }
    hasDeepest = true
    deepest.removeSubrange(unchanged...)
    deepest += chosen[unchanged...].map { $0.node }
    unchanged = chosen.count
    return true
  }
}
