import TipbProto

/// Each input row as the values of `exprs` over it: one output column per expression.
public struct Projection<Input: RowExecutor>: RowExecutor {
  private var input: Input
  private let expressions: [Expression]

  /// Columns in each output row.
  public var columnCount: Int { expressions.count }

  /// - Throws: `CoprocessorError` for an expression that does not check over `columnCount`
  ///   input columns, or no expression at all.
  public init(_ projection: Tipb_Projection, input: Input, columnCount: Int)
    throws(CoprocessorError)
  {
    guard !projection.exprs.isEmpty else { throw CoprocessorError("a projection of no columns") }
    self.input = input
    expressions = try projection.exprs.map { (pb) throws(CoprocessorError) in
      try Expression(pb, columnCount: columnCount)
    }
  }

  public mutating func next() throws(CoprocessorError) -> [Datum]? {
    guard let row = try input.next() else { return nil }
    var output: [Datum] = []
    output.reserveCapacity(expressions.count)
    for expression in expressions { output.append(try expression.evaluate(row)) }
    return output
  }
}
