extension Expression {
  /// `a op b` as MySQL computes it: NULL if either is NULL; two integers in integer arithmetic,
  /// unsigned if either is unsigned (for `%`, if the dividend is), an error (TiDB's "value is
  /// out of range") past the result type's range; otherwise in reals, where an infinite result
  /// is out of range. Dividing by zero (`/`, `DIV`, `%`) gives NULL, as MySQL's SELECT does
  /// outside strict mode. `DIV` truncates toward zero, into a BIGINT also from reals; `%` takes
  /// the dividend's sign.
  static func arithmetic(
    _ operation: ScalarFunction.Arithmetic, _ a: Datum, _ b: Datum
  ) throws(CoprocessorError) -> Datum {
    guard a != .null, b != .null else { return .null }
    if operation != .divide, let x = a.integer, let y = b.integer {
      // Exact in 128 bits, but for a product of two values near 2^64.
      let exact: Int128
      switch operation {
      case .plus: exact = x + y
      case .minus: exact = x - y
      case .multiply:
        let (product, overflow) = x.multipliedReportingOverflow(by: y)
        guard !overflow else { throw outOfRange(a.isUnsigned || b.isUnsigned, operation, a, b) }
        exact = product
      case .intDivide:
        guard y != 0 else { return .null }
        exact = x / y
      case .modulo:
        guard y != 0 else { return .null }
        // Smaller in magnitude than the dividend, with its sign: always in its type.
        let remainder = x % y
        return a.isUnsigned ? .uint(UInt64(remainder)) : .int(Int64(remainder))
      case .divide: preconditionFailure("real division")
      }
      let unsigned = a.isUnsigned || b.isUnsigned
      if unsigned, let value = UInt64(exactly: exact) { return .uint(value) }
      if !unsigned, let value = Int64(exactly: exact) { return .int(value) }
      throw outOfRange(unsigned, operation, a, b)
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
    case .intDivide:
      guard y != 0 else { return .null }
      let quotient = (x / y).rounded(.towardZero)
      guard quotient >= -0x1p63, quotient < 0x1p63 else {
        throw outOfRange(false, operation, a, b)
      }
      return .int(Int64(quotient))
    case .modulo:
      guard y != 0 else { return .null }
      result = x.truncatingRemainder(dividingBy: y)
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
    _ unsigned: Bool, _ operation: ScalarFunction.Arithmetic, _ a: Datum, _ b: Datum
  ) -> CoprocessorError {
    outOfRange(unsigned ? "BIGINT UNSIGNED" : "BIGINT", operation, a, b)
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
      case .intDivide: "DIV"
      case .modulo: "%"
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
