import Coprocessor
import SQLText

/// An aggregate function as the root computes it, over the values of its argument.
enum AggregateKind: Sendable, Equatable {
  case count, sum, avg, min, max
  /// The group's first value (a column neither grouped nor aggregated).
  case firstRow
  /// Sums partial counts (the final step of a pushed-down COUNT).
  case sumCounts
  /// Divides summed partial sums by summed partial counts (the final step of a pushed-down
  /// AVG, whose partial result is two columns: its count, then its sum).
  case mergeAvg
  /// GROUP_CONCAT: the group's values (each the concatenation of the arguments) as text,
  /// ordered by `orderBy`, joined by `separator`.
  case groupConcat
}

/// One aggregate of a GROUP BY: the function, its argument(s), DISTINCT.
struct PlannedAggregate {
  var function: AggregateKind
  /// `COUNT(*)` has none; `mergeAvg` takes the count then the sum; every other one one.
  var arguments: [Expression]
  var distinct = false
  /// GROUP_CONCAT's ORDER BY keys and separator.
  var orderBy: [(expression: Expression, descending: Bool)] = []
  var separator: [UInt8] = Array(",".utf8)
}

/// The running state of one aggregate in one group.
struct AggregateState {
  private var count: Int64 = 0
  private var intSum: Int64? = 0
  private var realSum: Double = 0
  private var isReal = false
  private var extreme: Datum = .null
  private var first: Datum?
  private var seen: Set<[GroupKey]>?
  private var texts: [(key: Row, text: [UInt8])] = []

  init(distinct: Bool) { seen = distinct ? [] : nil }

  mutating func add(_ call: PlannedAggregate, _ values: [Datum], orderKey: Row = [])
    throws(SQLError)
  {
    // Every aggregate but COUNT(*) and first_row skips NULLs.
    if call.function == .firstRow {
      if first == nil { first = values[0] }
      return
    }
    if values.contains(.null) { return }
    if seen != nil, !seen!.insert(values.map(GroupKey.init)).inserted { return }
    switch call.function {
    case .count: count += 1
    case .sumCounts: addToSum(values[0]); count += 1
    case .sum, .avg: addToSum(values[0]); count += 1
    case .mergeAvg:
      count += Self.integer(values[0])
      addToSum(values[1])
    case .groupConcat:
      texts.append((orderKey, values.flatMap { DatumText.bytes($0) }))
    case .min:
      if extreme == .null || DatumOrder.compare(values[0], extreme) < 0 { extreme = values[0] }
    case .max:
      if extreme == .null || DatumOrder.compare(values[0], extreme) > 0 { extreme = values[0] }
    case .firstRow: break
    }
  }

  private mutating func addToSum(_ value: Datum) {
    switch value {
    case .int(let v) where !isReal:
      if let sum = intSum, case let (next, false) = sum.addingReportingOverflow(v) {
        intSum = next
      } else {
        intSum = nil
      }
      realSum += Double(v)
    case .uint(let v):
      if let sum = intSum, v <= UInt64(Int64.max),
        case let (next, false) = sum.addingReportingOverflow(Int64(v))
      {
        intSum = next
      } else {
        intSum = nil
      }
      realSum += Double(v)
    case .int(let v):
      realSum += Double(v)
    case .float(let v):
      isReal = true
      realSum += v
    case .bytes(let bytes):
      isReal = true
      realSum += NumericPrefix.real(of: bytes)
    case .null, .minNotNull, .maxValue:
      break
    }
  }

  private static func integer(_ datum: Datum) -> Int64 {
    switch datum {
    case .int(let v): v
    case .uint(let v): Int64(clamping: v)
    case .float(let v): Int64(v)
    default: 0
    }
  }

  /// The aggregate's result for the group.
  func result(_ call: PlannedAggregate) -> Datum {
    switch call.function {
    case .count: return .int(count)
    case .sumCounts: return count == 0 ? .int(0) : sumValue
    case .sum: return count == 0 ? .null : sumValue
    case .avg, .mergeAvg: return count == 0 ? .null : .float(realSum / Double(count))
    case .min, .max: return extreme
    case .firstRow: return first ?? .null
    case .groupConcat:
      guard !texts.isEmpty else { return .null }
      let order = call.orderBy.enumerated().map { ($0.offset, $0.element.descending) }
      let sorted =
        order.isEmpty
        ? texts
        : texts.enumerated().sorted { a, b in
          let c = DatumOrder.compare(a.element.key, b.element.key, keys: order)
          return c != 0 ? c < 0 : a.offset < b.offset
        }.map(\.element)
      return .bytes(Array(sorted.map(\.text).joined(separator: call.separator)))
    }
  }

  private var sumValue: Datum {
    if !isReal, let sum = intSum { return .int(sum) }
    return .float(realSum)
  }
}

/// GROUP BY: rows grouped on the group-by expressions' values, each group's aggregates
/// computed. Output rows are the aggregates' results then the group-by values, one per group
/// in the order groups first appeared; without GROUP BY, exactly one row even for no input.
final class HashAggregateExecutor: Executor {
  private let child: any Executor
  private let calls: [PlannedAggregate]
  private let groupBy: [Expression]
  private var done = false

  init(_ child: any Executor, calls: [PlannedAggregate], groupBy: [Expression]) {
    self.child = child
    self.calls = calls
    self.groupBy = groupBy
  }

  func next() async throws -> [Row]? {
    guard !done else { return nil }
    done = true
    var groups: [[GroupKey]: Int] = [:]
    var keys: [Row] = []
    var states: [[AggregateState]] = []
    while let batch = try await child.next() {
      for row in batch {
        let key = try groupBy.map { (e) throws(SQLError) in try e.value(row) }
        let hash = key.map(GroupKey.init)
        let group: Int
        if let existing = groups[hash] {
          group = existing
        } else {
          group = keys.count
          groups[hash] = group
          keys.append(key)
          states.append(calls.map { AggregateState(distinct: $0.distinct) })
        }
        for (i, call) in calls.enumerated() {
          let values = try call.arguments.map { (e) throws(SQLError) in try e.value(row) }
          let key = try call.orderBy.map { (k) throws(SQLError) in try k.expression.value(row) }
          try states[group][i].add(call, values.isEmpty ? [.int(1)] : values, orderKey: key)
        }
      }
    }
    if keys.isEmpty && groupBy.isEmpty {
      keys.append([])
      states.append(calls.map { AggregateState(distinct: $0.distinct) })
    }
    let rows = keys.indices.map { group in
      calls.enumerated().map { states[group][$0.offset].result($0.element) } + keys[group]
    }
    return rows.isEmpty ? nil : rows
  }
}
