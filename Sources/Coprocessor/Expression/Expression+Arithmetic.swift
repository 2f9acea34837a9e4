extension Expression {
  /// `a op b` as MySQL computes it: NULL if either is NULL; two integers in integer arithmetic,
  /// unsigned if either is unsigned, an error (TiDB's "value is out of range") past the result
  /// type's range; otherwise in reals, where dividing by zero gives NULL and an infinite result
  /// is out of range.
  static func arithmetic(
    _ operation: ScalarFunction.Arithmetic, _ a: Datum, _ b: Datum
  ) throws(CoprocessorError) -> Datum {
    guard a != .null, b != .null else { return .null }
    if operation != .divide, let x = a.integer, let y = b.integer {
      // Exact in 128 bits, but for a product of two values near 2^64.
      let (exact, overflow) =
        switch operation {
        case .plus: (x + y, false)
        case .minus: (x - y, false)
        case .multiply: x.multipliedReportingOverflow(by: y)
        case .divide: preconditionFailure("real division")
        }
      let unsigned = a.isUnsigned || b.isUnsigned
      if !overflow, unsigned, let value = UInt64(exactly: exact) { return .uint(value) }
      if !overflow, !unsigned, let value = Int64(exactly: exact) { return .int(value) }
      throw outOfRange(unsigned ? "BIGINT UNSIGNED" : "BIGINT", operation, a, b)
    }
    guard let x = a.real, let y = b.real else {
      throw CoprocessorError("arithmetic on \(a) and \(b)")
    }
    let result: Double
    switch operation {
    case .plus: result = x + y
    case .minus: result = x - y
    case .multiply: result = x * y
    case .divide:
      guard y != 0 else { return .null }
      result = x / y
    }
    guard result.isFinite else { throw outOfRange("DOUBLE", operation, a, b) }
    return .float(result)
  }

  /// `-a`: an integer stays an integer (the negation of an unsigned value is signed), an error
  /// past BIGINT's range.
  static func negate(_ a: Datum) throws(CoprocessorError) -> Datum {
    switch a {
    case .null: return .null
    case .float(let value): return .float(-value)
    default:
      guard let value = a.integer, let negated = Int64(exactly: -value) else {
        throw CoprocessorError(
          "BIGINT value is out of range in '-(\(a))'", code: CoprocessorError.outOfRangeCode)
      }
      return .int(negated)
    }
  }

  private static func outOfRange(
    _ type: String, _ operation: ScalarFunction.Arithmetic, _ a: Datum, _ b: Datum
  ) -> CoprocessorError {
    let symbol =
      switch operation {
      case .plus: "+"
      case .minus: "-"
      case .multiply: "*"
      case .divide: "/"
      }
    return CoprocessorError(
      "\(type) value is out of range in '(\(a) \(symbol) \(b))'",
      code: CoprocessorError.outOfRangeCode)
  }
}

extension Datum {
  /// An integer, exactly; nil for other values.
  var integer: Int128? {
    switch self {
    case .int(let value): Int128(value)
    case .uint(let value): Int128(value)
    default: nil
    }
  }

  var isUnsigned: Bool {
    if case .uint = self { true } else { false }
  }
}
