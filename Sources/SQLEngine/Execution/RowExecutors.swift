import Coprocessor

/// Keeps the rows for which every condition holds (WHERE, HAVING, ON of a cross product).
final class SelectionExecutor: Executor {
  private let child: any Executor
  private let conditions: [Expression]

  init(_ child: any Executor, conditions: [Expression]) {
    self.child = child
    self.conditions = conditions
  }

  func next() async throws -> [Row]? {
    while let batch = try await child.next() {
      var kept: [Row] = []
      for row in batch where try conditions.allSatisfy({ (c) throws(SQLError) in try c.holds(row) })
      {
        kept.append(row)
      }
      if !kept.isEmpty { return kept }
    }
    return nil
  }
}

/// Computes each output column from the input row.
final class ProjectionExecutor: Executor {
  private let child: any Executor
  private let expressions: [Expression]

  init(_ child: any Executor, expressions: [Expression]) {
    self.child = child
    self.expressions = expressions
  }

  func next() async throws -> [Row]? {
    guard let batch = try await child.next() else { return nil }
    return try batch.map { row in try expressions.map { (e) throws(SQLError) in try e.value(row) } }
  }
}

/// Skips `offset` rows, then passes at most `count`.
final class LimitExecutor: Executor {
  private let child: any Executor
  private var toSkip: UInt64
  private var left: UInt64

  init(_ child: any Executor, offset: UInt64, count: UInt64) {
    self.child = child
    toSkip = offset
    left = count
  }

  func next() async throws -> [Row]? {
    while left > 0, var batch = try await child.next() {
      if toSkip > 0 {
        let skipped = min(UInt64(batch.count), toSkip)
        batch.removeFirst(Int(skipped))
        toSkip -= skipped
      }
      if batch.isEmpty { continue }
      let taken = Array(batch.prefix(Int(min(UInt64(batch.count), left))))
      left -= UInt64(taken.count)
      return taken
    }
    return nil
  }
}

/// Sorts every input row on keys computed per row (ORDER BY), optionally keeping only the
/// first `limit` (TopN).
final class SortExecutor: Executor {
  private let child: any Executor
  private let keys: [(expression: Expression, descending: Bool)]
  private let limit: Int?
  private var done = false

  init(_ child: any Executor, keys: [(expression: Expression, descending: Bool)], limit: Int? = nil)
  {
    self.child = child
    self.keys = keys
    self.limit = limit
  }

  func next() async throws -> [Row]? {
    guard !done else { return nil }
    done = true
    var keyed: [(key: Row, row: Row)] = []
    while let batch = try await child.next() {
      for row in batch {
        keyed.append((try keys.map { (k) throws(SQLError) in try k.expression.value(row) }, row))
      }
    }
    let order = keys.enumerated().map { ($0.offset, $0.element.descending) }
    // A stable sort: rows with equal keys keep their input order, as MySQL's filesort does
    // for the rows it reads in order.
    let sorted = keyed.enumerated().sorted { a, b in
      let c = DatumOrder.compare(a.element.key, b.element.key, keys: order)
      return c != 0 ? c < 0 : a.offset < b.offset
    }
    let rows = sorted.prefix(limit ?? sorted.count).map(\.element.row)
    return rows.isEmpty ? nil : Array(rows)
  }
}

/// Keeps the first row of each distinct row (SELECT DISTINCT).
final class DistinctExecutor: Executor {
  private let child: any Executor
  private var seen: Set<[GroupKey]> = []

  init(_ child: any Executor) { self.child = child }

  func next() async throws -> [Row]? {
    while let batch = try await child.next() {
      let kept = batch.filter { seen.insert($0.map(GroupKey.init)).inserted }
      if !kept.isEmpty { return kept }
    }
    return nil
  }
}

/// The rows of each child in turn (UNION ALL).
final class ConcatExecutor: Executor {
  private var children: [any Executor]

  init(_ children: [any Executor]) { self.children = children }

  func next() async throws -> [Row]? {
    while let first = children.first {
      if let batch = try await first.next() { return batch }
      children.removeFirst()
    }
    return nil
  }
}
