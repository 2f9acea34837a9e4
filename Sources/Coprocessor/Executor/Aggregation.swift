import TipbProto

/// Groups its input by the `group_by` values and hands out one row per group: each aggregate's
/// partial result, then the group's `group_by` values (TinySQL merges the rows of every region
/// into the final result). Groups are told apart by their values' value-form bytes, as TiDB's
/// codec writes them, so 1 and 1.0 are different groups, and NULLs form one group.
///
/// A hash aggregation reads its whole input and answers its groups in the order they first
/// appeared. A stream aggregation (`streamed`, or `TypeStreamAgg`), whose input arrives sorted
/// by the group values, answers each group as soon as the next one starts and holds only one.
/// An empty input gives no rows, even without `group_by` (the SQL layer supplies the empty
/// result's count of 0).
public struct Aggregation<Input: RowExecutor>: RowExecutor {
  private var input: Input
  private let aggregates: [Aggregate]
  private let groupBy: [Expression]
  private let streamed: Bool

  /// Groups by their value bytes, in the order they first appeared.
  private var groups: [[UInt8]: Int] = [:]
  private var states: [(values: [Datum], states: [Aggregate.State])] = []
  /// The next group to hand out once the input is read: every group of a hash aggregation, the
  /// last one of a stream aggregation (the others went as the next began).
  private var nextGroup = 0
  private var inputDone = false

  /// Columns in each output row: the partial results', then the group values.
  public let columnCount: Int

  /// - Throws: `CoprocessorError` for an aggregate or group-by expression that does not check
  ///   over `columnCount` input columns.
  public init(
    _ aggregation: Tipb_Aggregation, input: Input, columnCount: Int, streamed: Bool
  ) throws(CoprocessorError) {
    self.input = input
    aggregates = try aggregation.aggFunc.map { (pb) throws(CoprocessorError) in
      try Aggregate(pb, columnCount: columnCount)
    }
    groupBy = try aggregation.groupBy.map { (pb) throws(CoprocessorError) in
      try Expression(pb, columnCount: columnCount)
    }
    self.streamed = streamed || aggregation.streamed
    self.columnCount = aggregates.reduce(0) { $0 + $1.partialWidth } + groupBy.count
  }

  public mutating func next() throws(CoprocessorError) -> [Datum]? {
    while !inputDone {
      guard let row = try input.next() else {
        inputDone = true
        break
      }
      if let finished = try add(row) { return finished }
    }
    guard nextGroup < states.count else { return nil }
    defer { nextGroup += 1 }
    return output(nextGroup)
  }

  /// Adds `row` to its group.
  /// - Returns: the answer of the group a stream aggregation finished by starting this row's.
  private mutating func add(_ row: [Datum]) throws(CoprocessorError) -> [Datum]? {
    var values: [Datum] = []
    var key: [UInt8] = []
    if !groupBy.isEmpty {
      values.reserveCapacity(groupBy.count)
      for expression in groupBy { values.append(try expression.evaluate(row)) }
      for value in values { DatumCodec.append(value, as: .value, to: &key) }
    }
    var finished: [Datum]?
    let index: Int
    if let known = groupBy.isEmpty && !states.isEmpty ? 0 : groups[key] {
      // Without group-by there is one group: no key to look up.
      index = known
    } else {
      if streamed, !states.isEmpty {
        // The group before is complete: answer it and hold only the new one.
        finished = output(0)
        states.removeAll(keepingCapacity: true)
        groups.removeAll(keepingCapacity: true)
      }
      index = states.count
      groups[key] = index
      states.append((values, Array(repeating: Aggregate.State(), count: aggregates.count)))
    }
    for (position, aggregate) in aggregates.enumerated() {
      try aggregate.update(&states[index].states[position], with: row)
    }
    return finished
  }

  private func output(_ index: Int) -> [Datum] {
    var row: [Datum] = []
    row.reserveCapacity(columnCount)
    for (aggregate, state) in zip(aggregates, states[index].states) {
      row += aggregate.partialResult(state)
    }
    row += states[index].values
    return row
  }
}
