/// Wing & Gong's search for a linearization of one partition, with Lowe's memoisation (as in
/// Porcupine): walk the time-ordered entries; at a call, try to linearize that operation next
/// (its step must be legal and the resulting (linearized set, state) pair new); at a return of an
/// operation not yet linearized, undo the last choice and try the next candidate. Operations with
/// unknown outcome return at infinity, so once only their returns are left every operation known
/// to have happened is linearized and the rest may never have taken effect: success.
struct PartitionSearch<M: Model> {
  /// How a search ended.
  enum Outcome {
    /// Every operation with a known outcome was linearized.
    case linearizable
    /// No order works; the longest linearized prefix the search reached.
    case deadEnd(DeadEnd)
    /// The budget ran out first.
    case outOfBudget
  }

  /// The furthest the search got: an order of some operations, the state after them, and the
  /// operations that were candidates to come next.
  ///
  /// Every candidate is illegal in `state`: had one been legal, the search would have gone one
  /// operation deeper (or, on a memo hit, already had), and every path from a deeper point ends
  /// in a success or in a dead end at least as deep, which would have been recorded instead
  /// (only a strictly longer prefix replaces the one kept).
  struct DeadEnd {
    /// Operations (indices into the partition) in the order they were linearized.
    var prefix: [Int]
    /// The state after `prefix`.
    var state: M.State
    /// Operations called but not linearized before `deadline` returned, in call order.
    var pending: [Int]
    /// The operation whose return the search reached without having linearized it.
    var deadline: Int
  }

  private struct Visited: Hashable {
    var linearized: Bitset
    var state: M.State
  }

  let model: M
  let inputs: [M.Input]
  let outputs: [M.Output?]
  private var entries: EntryList

  /// Prepares the search over `operations`, one partition of a history.
  init(model: M, operations: [ClientOperation<M.Input, M.Output>]) {
    self.model = model
    inputs = operations.map(\.input)
    outputs = operations.map(\.output)
    entries = EntryList(calls: operations.map(\.call), returns: operations.map(\.returnTime))
  }

  /// Runs the search, spending `meter`.
  mutating func run(meter: inout BudgetMeter) -> Outcome {
    var state = model.initialState
    var linearized = Bitset(capacity: inputs.count)
    var visited: Set<Visited> = []
    var chosen = LinearizationStack<M.State>()
    var furthest: DeadEnd?
    var node = entries.first
    while node >= 0 {
      guard meter.spend() else { return .outOfBudget }
      let operation = entries.operation[node]
      if entries.isCall(node) {
        if let after = model.step(state, inputs[operation], outputs[operation]) {
          var extended = linearized
          extended.insert(operation)
          if visited.insert(Visited(linearized: extended, state: after)).inserted {
            chosen.push(node, stateBefore: state)
            state = after
            linearized = extended
            entries.lift(node)
            node = entries.first
            continue
          }
        }
        node = entries.next[node]
      } else if entries.isUnknownReturn(node) {
        return .linearizable
      } else {
        if chosen.recordIfDeeper() { furthest = deadEnd(state: state, deadline: node) }
        guard let (undone, stateBefore) = chosen.pop() else {
          // Nothing left to undo; the line above recorded at least this empty prefix.
          furthest!.prefix = chosen.deepest.map { entries.operation[$0] }
          return .deadEnd(furthest!)
        }
        state = stateBefore
        linearized.remove(entries.operation[undone])
        entries.unlift(undone)
        node = entries.next[undone]
      }
    }
    return .linearizable
  }

  /// The dead end at `deadline` in `state`, its prefix left for the caller to fill in.
  private func deadEnd(state: M.State, deadline: Int) -> DeadEnd {
    var pending: [Int] = []
    var node = entries.first
    while node != deadline {
      pending.append(entries.operation[node])
      node = entries.next[node]
    }
    return DeadEnd(
      prefix: [], state: state, pending: pending, deadline: entries.operation[deadline])
  }
}
