import Coprocessor

/// A join of two inputs that arrive sorted ascending on their join key (two tables read in
/// handle order, joined on their integer primary keys): the left streams, the right is read
/// only as far as the current left key, rows with smaller keys dropped as the merge passes
/// them. Joined rows are the left's columns then the right's; a LEFT join keeps unmatched left
/// rows with NULLs.
final class MergeJoinExecutor: Executor {
  private let left: any Executor
  private let right: any Executor
  private let leftKey: Expression
  private let rightKey: Expression
  private let conditions: [Expression]
  private let keepUnmatched: Bool
  private let rightWidth: Int
  /// Right rows not yet passed by the merge, in order, with their keys.
  private var pending: [(key: Datum, row: Row)] = []
  private var rightDone = false

  init(
    left: any Executor, right: any Executor, leftKey: Expression, rightKey: Expression,
    conditions: [Expression], keepUnmatched: Bool, rightWidth: Int
  ) {
    self.left = left
    self.right = right
    self.leftKey = leftKey
    self.rightKey = rightKey
    self.conditions = conditions
    self.keepUnmatched = keepUnmatched
    self.rightWidth = rightWidth
  }

  func next() async throws -> [Row]? {
    while let batch = try await left.next() {
      var joined: [Row] = []
      for row in batch {
        let key = try leftKey.value(row)
        var matched = false
        if key != .null {
          try await advance(past: key)
          for candidate in pending {
            guard DatumOrder.compare(candidate.key, key) == 0 else { break }
            let combined = row + candidate.row
            if try conditions.allSatisfy({ (c) throws(SQLError) in try c.holds(combined) }) {
              joined.append(combined)
              matched = true
            }
          }
        }
        if !matched && keepUnmatched {
          joined.append(row + Row(repeating: .null, count: rightWidth))
        }
      }
      if !joined.isEmpty { return joined }
    }
    return nil
  }

  /// Drops right rows whose key sorts before `key`, and reads right rows until one sorts after
  /// it (or the right ends).
  private func advance(past key: Datum) async throws {
    pending.removeAll { DatumOrder.compare($0.key, key) < 0 }
    while !rightDone, pending.last.map({ DatumOrder.compare($0.key, key) <= 0 }) ?? true {
      guard let batch = try await right.next() else {
        rightDone = true
        break
      }
      for row in batch {
        let rowKey = try rightKey.value(row)
        if rowKey != .null && DatumOrder.compare(rowKey, key) >= 0 {
          pending.append((rowKey, row))
        }
      }
    }
  }
}
