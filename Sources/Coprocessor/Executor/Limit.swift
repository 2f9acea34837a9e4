import TipbProto

/// The first `limit` rows; it stops pulling from its input once it has them, so the scan below
/// stops reading.
public struct Limit<Input: RowExecutor>: RowExecutor {
  private var input: Input
  private var remaining: UInt64

  /// The first `limit.limit` rows of `input`.
  public init(_ limit: Tipb_Limit, input: Input) {
    self.input = input
    remaining = limit.limit
  }

  public mutating func next() throws(CoprocessorError) -> [Datum]? {
    guard remaining > 0, let row = try input.next() else { return nil }
    remaining -= 1
    return row
  }
}
