import TipbProto

/// The first `limit` rows in `order_by` order (NULL first when ascending, as MySQL sorts). It
/// reads its whole input, keeping at most twice `limit` rows at a time.
public struct TopN<Input: RowExecutor>: RowExecutor {
  private var input: Input
  private let items: [(expression: Expression, descending: Bool)]
  private let limit: Int
  /// The sorted result once the input is read, handed out from the front.
  private var result: [[Datum]]?

  /// - Throws: `CoprocessorError` for an order-by expression that does not check over
  ///   `columnCount` input columns.
  public init(_ topN: Tipb_TopN, input: Input, columnCount: Int) throws(CoprocessorError) {
    self.input = input
    items = try topN.orderBy.map { (item) throws(CoprocessorError) in
      (try Expression(item.expr, columnCount: columnCount), item.desc)
    }
    limit = Int(clamping: topN.limit)
  }

  public mutating func next() throws(CoprocessorError) -> [Datum]? {
    if result == nil { result = try sortedTop().reversed() }
    return result!.popLast()
  }

  /// Reads the input and keeps its first `limit` rows in order.
  private mutating func sortedTop() throws(CoprocessorError) -> [[Datum]] {
    guard limit > 0 else { return [] }
    var kept: [(keys: [Datum], row: [Datum])] = []
    while let row = try input.next() {
      var keys: [Datum] = []
      for item in items { keys.append(try item.expression.evaluate(row)) }
      kept.append((keys, row))
      // Twice the limit, without overflowing for a huge limit.
      if kept.count - limit >= limit { kept = try Array(sorted(kept).prefix(limit)) }
    }
    return try sorted(kept).prefix(limit).map(\.row)
  }

  private func sorted(
    _ rows: [(keys: [Datum], row: [Datum])]
  ) throws(CoprocessorError) -> [(keys: [Datum], row: [Datum])] {
    var failure: CoprocessorError?
    let result = rows.sorted { a, b in
      for (index, item) in items.enumerated() {
        let order: Int
        do throws(CoprocessorError) {
          order = try Self.order(a.keys[index], b.keys[index])
        } catch {
          failure = failure ?? error
          return false
        }
        if order != 0 { return item.descending ? order > 0 : order < 0 }
      }
      return false
    }
    if let failure { throw failure }
    return result
  }

  /// NULL before every value, values by `Expression.order`.
  private static func order(_ a: Datum, _ b: Datum) throws(CoprocessorError) -> Int {
    switch (a, b) {
    case (.null, .null): 0
    case (.null, _): -1
    case (_, .null): 1
    default: try Expression.order(a, b)
    }
  }
}
