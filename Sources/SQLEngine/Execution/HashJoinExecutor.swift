import Coprocessor

/// A join: the inner side read whole into a hash table on its join keys, then the outer side
/// streamed through it. Without keys every inner row is a candidate (a nested-loop join).
/// Joined rows are always the left child's columns then the right's; a LEFT join keeps its
/// left rows and a RIGHT join its right rows, padding the other side with NULLs.
final class HashJoinExecutor: Executor {
  enum Kind {
    case inner
    /// The outer side's rows are kept without a match.
    case outer
  }

  private let outer: any Executor
  private let inner: any Executor
  private let outerKeys: [Expression]
  private let innerKeys: [Expression]
  /// Conditions over the joined row that are not key equalities.
  private let conditions: [Expression]
  private let kind: Kind
  /// Whether the outer side is the left child (else the right: a RIGHT join).
  private let outerIsLeft: Bool
  private let innerWidth: Int
  private var table: [[GroupKey]: [Row]]?

  init(
    outer: any Executor, inner: any Executor, outerKeys: [Expression], innerKeys: [Expression],
    conditions: [Expression], kind: Kind, outerIsLeft: Bool, innerWidth: Int
  ) {
    self.outer = outer
    self.inner = inner
    self.outerKeys = outerKeys
    self.innerKeys = innerKeys
    self.conditions = conditions
    self.kind = kind
    self.outerIsLeft = outerIsLeft
    self.innerWidth = innerWidth
  }

  func next() async throws -> [Row]? {
    if table == nil { table = try await build() }
    while let batch = try await outer.next() {
      var joined: [Row] = []
      for row in batch {
        var matched = false
        if let key = try Self.key(outerKeys, row) {
          for candidate in table![key] ?? [] {
            let combined = outerIsLeft ? row + candidate : candidate + row
            if try conditions.allSatisfy({ (c) throws(SQLError) in try c.holds(combined) }) {
              joined.append(combined)
              matched = true
            }
          }
        }
        if !matched && kind == .outer {
          let nulls = Row(repeating: .null, count: innerWidth)
          joined.append(outerIsLeft ? row + nulls : nulls + row)
        }
      }
      if !joined.isEmpty { return joined }
    }
    return nil
  }

  private func build() async throws -> [[GroupKey]: [Row]] {
    var table: [[GroupKey]: [Row]] = [:]
    while let batch = try await inner.next() {
      for row in batch {
        guard let key = try Self.key(innerKeys, row) else { continue }
        table[key, default: []].append(row)
      }
    }
    return table
  }

  /// The join key of `row`; nil when a key value is NULL (it matches nothing).
  private static func key(_ expressions: [Expression], _ row: Row) throws(SQLError) -> [GroupKey]? {
    var key: [GroupKey] = []
    for expression in expressions {
      let value = try expression.value(row)
      if value == .null { return nil }
      key.append(GroupKey(value))
    }
    return key
  }
}
