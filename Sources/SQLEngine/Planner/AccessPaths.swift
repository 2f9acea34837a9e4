import Coprocessor
import Foundation
import SQLParser

/// Chooses how to read a table from the conditions on it (TiDB's ranger, by simple rules):
/// point gets when the integer primary key is pinned; else an index whose leading columns are
/// pinned (the longest such prefix, a unique index fully pinned first), with a range on the
/// next column; else a range of handles; else the whole table. The conditions are still
/// checked on every row read, so a range only has to cover the rows that match.
struct AccessPaths {
  let table: TableInfo
  let schema: PlanSchema
  let compiler: ExpressionCompiler

  /// A bound on one column: the values it may take.
  struct ColumnRange {
    /// Equal to one of these values.
    var points: [Datum]?
    var low: (value: Datum, inclusive: Bool)?
    var high: (value: Datum, inclusive: Bool)?
    /// The condition it came from, for EXPLAIN.
    var condition: Expr?
  }

  /// The path, and the conjuncts it makes redundant (a point get's pinning equalities).
  func choose(_ conjuncts: [Expr]) async throws -> (path: TableAccess.Path, covered: Set<Int>) {
    var bounds: [Int: [ColumnRange]] = [:]
    var pinning: [Int: [Int]] = [:]
    for (index, conjunct) in conjuncts.enumerated() {
      if let (offset, range) = try await columnRange(conjunct) {
        bounds[offset, default: []].append(range)
        if range.points != nil { pinning[offset, default: []].append(index) }
      }
    }
    if let handle = table.handleColumn, let ranges = bounds[handle.offset] {
      if let points = Self.points(ranges) {
        let handles = points.compactMap { Self.integer($0, unsigned: handle.type.unsigned) }
        // The handles hold exactly the pinned values only when every point was an integer.
        let exact = handles.count == points.count
        return (
          .handles(Array(Set(handles)).sorted()),
          exact ? Set(pinning[handle.offset] ?? []) : []
        )
      }
    }
    return (try await range(bounds), [])
  }

  private func range(_ bounds: [Int: [ColumnRange]]) async throws -> TableAccess.Path {
    if let choice = bestIndex(bounds) { return choice }
    if let handle = table.handleColumn, let ranges = bounds[handle.offset],
      let (low, high) = Self.handleBounds(ranges, unsigned: handle.type.unsigned)
    {
      guard low <= high else { return .handles([]) }
      let start = TableCodec.rowKey(table.id, low)
      let end =
        high == Int64.max
        ? TableCodec.rowRange(table.id).end : TableCodec.rowKey(table.id, high + 1)
      return .rows(ranges: [(start, end)], description: "range:[\(low),\(high)]")
    }
    let whole = TableCodec.rowRange(table.id)
    return .rows(ranges: [whole], description: "range:full")
  }

  /// `column op constant` (either way round), `column IN (constants)`, `column BETWEEN`.
  private func columnRange(_ conjunct: Expr) async throws -> (Int, ColumnRange)? {
    func column(_ expr: Expr) -> Int? {
      guard case .column(let name) = expr, let offset = try? schema.resolve(name, clause: "") else {
        return nil
      }
      return offset
    }
    func constant(_ expr: Expr) async -> Datum? {
      guard ExprWalker.columns(expr)?.isEmpty == true else { return nil }
      guard let value = try? await compiler.compile(expr).constant, value != .null else {
        return nil
      }
      return value
    }
    switch conjunct {
    case .binary(let op, let left, let right) where op.isComparison && op != .notEqual:
      var op = op
      var (c, k) = (column(left), await constant(right))
      if c == nil {
        (c, k) = (column(right), await constant(left))
        op = Self.flipped(op)
      }
      guard let offset = c, let value = k, let datum = keyDatum(value, offset) else { return nil }
      switch op {
      case .equal, .nullSafeEqual:
        return (offset, ColumnRange(points: [datum], condition: conjunct))
      case .less: return (offset, ColumnRange(high: (datum, false), condition: conjunct))
      case .lessOrEqual: return (offset, ColumnRange(high: (datum, true), condition: conjunct))
      case .greater: return (offset, ColumnRange(low: (datum, false), condition: conjunct))
      case .greaterOrEqual: return (offset, ColumnRange(low: (datum, true), condition: conjunct))
      default: return nil
      }
    case .inList(let value, let list, negated: false):
      guard let offset = column(value) else { return nil }
      var points: [Datum] = []
      for item in list {
        guard let k = await constant(item), let datum = keyDatum(k, offset) else { return nil }
        points.append(datum)
      }
      return (offset, ColumnRange(points: points, condition: conjunct))
    case .between(let value, let low, let high, negated: false):
      guard let offset = column(value), let l = await constant(low), let h = await constant(high),
        let lowDatum = keyDatum(l, offset), let highDatum = keyDatum(h, offset)
      else { return nil }
      return (
        offset, ColumnRange(low: (lowDatum, true), high: (highDatum, true), condition: conjunct)
      )
    default:
      return nil
    }
  }

  /// `value` as column `offset`'s index keys hold it, when that is exact.
  private func keyDatum(_ value: Datum, _ offset: Int) -> Datum? {
    guard offset < table.columns.count else { return nil }
    let type = table.columns[offset].type
    switch (type.kind, value) {
    case (.int, .int(let v)): return type.unsigned ? (v >= 0 ? .uint(UInt64(v)) : nil) : .int(v)
    case (.int, .uint(let v)):
      return type.unsigned ? .uint(v) : (v <= UInt64(Int64.max) ? .int(Int64(v)) : nil)
    case (.real, .int(let v)): return .float(Double(v))
    case (.real, .uint(let v)): return .float(Double(v))
    case (.real, .float(let v)): return .float(v)
    case (.string, .bytes(let v)) where type.binary || type.type != .string: return .bytes(v)
    default: return nil
    }
  }

  private static func flipped(_ op: BinaryOperator) -> BinaryOperator {
    switch op {
    case .less: .greater
    case .lessOrEqual: .greaterOrEqual
    case .greater: .less
    case .greaterOrEqual: .lessOrEqual
    default: op
    }
  }

  /// The values a column is pinned to, if a condition pins it.
  private static func points(_ ranges: [ColumnRange]) -> [Datum]? {
    var result: [Datum]?
    for range in ranges {
      guard let points = range.points else { continue }
      let keys = Set(points.map(GroupKey.init))
      result = result.map { $0.filter { keys.contains(GroupKey($0)) } } ?? points
    }
    return result
  }

  private static func integer(_ datum: Datum, unsigned: Bool) -> Int64? {
    switch datum {
    case .int(let v): v
    case .uint(let v): Int64(bitPattern: v)
    default: nil
    }
  }

  /// The handles between the bounds of `ranges` (signed handles only).
  private static func handleBounds(
    _ ranges: [ColumnRange], unsigned: Bool
  ) -> (Int64, Int64)? {
    guard !unsigned else { return nil }
    var low = Int64.min
    var high = Int64.max
    var bounded = false
    for range in ranges {
      if case .int(let v)? = range.low?.value {
        bounded = true
        let bound = range.low!.inclusive ? v : (v == Int64.max ? nil : v + 1)
        guard let bound else { return (1, 0) }
        low = max(low, bound)
      }
      if case .int(let v)? = range.high?.value {
        bounded = true
        let bound = range.high!.inclusive ? v : (v == Int64.min ? nil : v - 1)
        guard let bound else { return (1, 0) }
        high = min(high, bound)
      }
    }
    return bounded ? (low, high) : nil
  }

  /// The index with the longest pinned prefix (a unique one fully pinned wins), and a range on
  /// the column after the prefix.
  private func bestIndex(_ bounds: [Int: [ColumnRange]]) -> TableAccess.Path? {
    var best: (score: Int, path: TableAccess.Path)?
    for index in table.indices where index.state == .public {
      var prefixes: [[Datum]] = [[]]
      var pinned = 0
      var conditions: [Expr] = []
      for column in index.columns {
        guard let ranges = bounds[column.offset], let points = Self.points(ranges) else { break }
        prefixes = prefixes.flatMap { prefix in points.map { prefix + [$0] } }
        pinned += 1
        conditions += ranges.compactMap { $0.points != nil ? $0.condition : nil }
        if prefixes.count > 256 { return nil }
      }
      var next: ColumnRange?
      if pinned < index.columns.count, let ranges = bounds[index.columns[pinned].offset] {
        next = ranges.reduce(into: ColumnRange()) { merged, range in
          if let low = range.low { merged.low = low }
          if let high = range.high { merged.high = high }
          if range.low != nil || range.high != nil, let condition = range.condition {
            conditions.append(condition)
          }
        }
        if next?.low == nil && next?.high == nil { next = nil }
      }
      guard pinned > 0 || next != nil else { continue }
      let fullyPinnedUnique = index.unique && pinned == index.columns.count
      let score = (fullyPinnedUnique ? 1000 : 0) + pinned * 10 + (next == nil ? 0 : 1)
      guard best == nil || score > best!.score else { continue }
      let ranges = prefixes.map { prefix in keyRange(index, prefix, next) }
      best = (
        score,
        .index(
          index, ranges: ranges, conditions: conditions)
      )
    }
    return best?.path
  }

  private func keyRange(
    _ index: IndexInfo, _ prefix: [Datum], _ next: ColumnRange?
  ) -> (start: Data, end: Data) {
    func key(_ values: [Datum]) -> Data {
      Data(TableKeys.index(table: table.id, index: index.id, values: values))
    }
    guard let next else {
      let start = key(prefix)
      return (start, KeyRanges.prefixEnd(start))
    }
    let start: Data
    if let low = next.low {
      start =
        low.inclusive ? key(prefix + [low.value]) : KeyRanges.prefixEnd(key(prefix + [low.value]))
    } else {
      start = key(prefix + [.minNotNull])
    }
    let end: Data
    if let high = next.high {
      end =
        high.inclusive
        ? KeyRanges.prefixEnd(key(prefix + [high.value])) : key(prefix + [high.value])
    } else {
      end = KeyRanges.prefixEnd(key(prefix))
    }
    return (start, end)
  }
}
