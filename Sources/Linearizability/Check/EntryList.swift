/// The calls and returns of one partition's operations in time order, as a doubly linked list
/// from which a linearized operation is lifted (its call and its return) and into which it is put
/// back on backtracking, both in constant time.
///
/// Node 0 is the head sentinel; node `1 + k` is the `k`th entry in time order. An unknown outcome
/// returns at infinity, after every other entry. At equal times calls come before returns, so
/// operations that share an instant overlap.
struct EntryList {
  /// The node after each node, or `-1` at the end.
  private(set) var next: [Int]
  /// The node before each node (the head's is unused).
  private var previous: [Int]
  /// The operation each node calls or returns (unused for the head).
  let operation: [Int]
  /// For a call node, its operation's return node; `-1` for return nodes and the head.
  private let returnNode: [Int]
  /// The time of each node (unused for the head).
  private let time: [UInt64]

  /// Builds the list of operations whose times are `calls[i]` and `returns[i]` (`nil`: unknown).
  init(calls: [UInt64], returns: [UInt64?]) {
    struct Entry {
      var time: UInt64
      var isReturn: Bool
      var operation: Int
    }
    var entries: [Entry] = []
    entries.reserveCapacity(calls.count * 2)
    for (operation, call) in calls.enumerated() {
      entries.append(Entry(time: call, isReturn: false, operation: operation))
      let end = returns[operation].map { min(max($0, call), .max - 1) } ?? .max
      entries.append(Entry(time: end, isReturn: true, operation: operation))
    }
    entries.sort {
      ($0.time, $0.isReturn ? 1 : 0, $0.operation) < ($1.time, $1.isReturn ? 1 : 0, $1.operation)
    }
    let count = entries.count + 1
    next = Array(1...count)
    next[count - 1] = -1
    previous = Array(-1..<(count - 1))
    operation = [-1] + entries.map(\.operation)
    time = [0] + entries.map(\.time)
    var returnOf = Array(repeating: -1, count: calls.count)
    for (index, entry) in entries.enumerated() where entry.isReturn {
      returnOf[entry.operation] = index + 1
    }
    returnNode = [-1] + entries.map { $0.isReturn ? -1 : returnOf[$0.operation] }
  }

  /// The first entry, or `-1` when every operation is linearized.
  var first: Int { next[0] }

  /// Whether `node` is a call (otherwise it is a return).
  func isCall(_ node: Int) -> Bool { returnNode[node] >= 0 }

  /// Whether `node` is the return of an operation with unknown outcome.
  func isUnknownReturn(_ node: Int) -> Bool { returnNode[node] < 0 && time[node] == .max }

  /// Removes the call `node` and its return.
  mutating func lift(_ node: Int) {
    unlink(node)
    unlink(returnNode[node])
  }

  /// Puts back the call `node` and its return, undoing the last ``lift(_:)``.
  mutating func unlift(_ node: Int) {
    relink(returnNode[node])
    relink(node)
  }

  private mutating func unlink(_ node: Int) {
    next[previous[node]] = next[node]
    if next[node] >= 0 { previous[next[node]] = previous[node] }
  }

  private mutating func relink(_ node: Int) {
    next[previous[node]] = node
    if next[node] >= 0 { previous[next[node]] = node }
  }
}
