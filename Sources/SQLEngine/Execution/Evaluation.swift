import Coprocessor
import SQLText

/// Evaluating expressions at the root with the coprocessor's evaluator (one evaluator for
/// push-down and root), its errors turned into SQL errors.
extension Expression {
  /// The value over `row`. - Throws: `SQLError` (1690 for an overflow).
  func value(_ row: Row) throws(SQLError) -> Datum {
    do {
      return try evaluate(row)
    } catch {
      throw SQLError(evaluation: error)
    }
  }

  /// Whether the value over `row` is true (NULL is not).
  func holds(_ row: Row) throws(SQLError) -> Bool {
    switch try value(row) {
    case .int(let v): v != 0
    case .uint(let v): v != 0
    case .float(let v): v != 0
    case .bytes(let bytes): NumericPrefix.real(of: bytes) != 0
    case .null, .minNotNull, .maxValue: false
    }
  }
}

extension SQLError {
  /// An evaluation error of the coprocessor's evaluator, at the root or in a store's answer.
  init(evaluation error: CoprocessorError) {
    if error.code == CoprocessorError.outOfRangeCode {
      self.init(code: 1690, sqlState: "22003", message: error.description)
    } else {
      self.init(code: 1105, sqlState: "HY000", message: error.description)
    }
  }
}
