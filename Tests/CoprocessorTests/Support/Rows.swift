import Coprocessor

/// Rows handed out in order, as an executor's input.
struct Rows: RowExecutor {
  var rows: [[Datum]]
  mutating func next() throws(CoprocessorError) -> [Datum]? {
    rows.isEmpty ? nil : rows.removeFirst()
  }
}

extension RowExecutor {
  /// Every row left.
  mutating func all() throws(CoprocessorError) -> [[Datum]] {
    var rows: [[Datum]] = []
    while let row = try next() { rows.append(row) }
    return rows
  }
}
