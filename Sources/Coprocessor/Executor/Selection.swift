import TipbProto

/// Keeps the rows for which every condition is true (not false, not NULL).
public struct Selection<Input: RowExecutor>: RowExecutor {
  private var input: Input
  private let conditions: [Expression]

  /// - Throws: `CoprocessorError` for a condition that does not check over `columnCount`
  ///   input columns.
  public init(_ selection: Tipb_Selection, input: Input, columnCount: Int) throws(CoprocessorError) {
    self.input = input
    conditions = try selection.conditions.map { (pb) throws(CoprocessorError) in
      try Expression(pb, columnCount: columnCount)
    }
  }

  public mutating func next() throws(CoprocessorError) -> [Datum]? {
    rows: while let row = try input.next() {
      for condition in conditions {
        // A value that is no condition at all (a string) keeps no row, as NULL and false.
        let value = try condition.evaluate(row)
        guard (try? Expression.truth(value)) == true else { continue rows }
      }
      return row
    }
    return nil
  }
}
