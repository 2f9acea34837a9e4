extension Expression {
  /// `IF(condition, x, y)`: `x` when the condition is true, else (false or NULL) `y`; only the
  /// branch taken is evaluated.
  static func conditional(
    _ arguments: [Expression], _ row: [Datum]
  ) throws(CoprocessorError) -> Datum {
    let condition = try truth(arguments[0].evaluate(row))
    return try arguments[condition == true ? 1 : 2].evaluate(row)
  }

  /// `IFNULL(x, y)`: `x` unless it is NULL; `y` is evaluated only then.
  static func ifNull(_ arguments: [Expression], _ row: [Datum]) throws(CoprocessorError) -> Datum {
    let first = try arguments[0].evaluate(row)
    return first == .null ? try arguments[1].evaluate(row) : first
  }

  /// `CASE WHEN c1 THEN r1 ... [ELSE r] END` over c1, r1, c2, r2, ..., [r]: the result of the
  /// first true condition, else the ELSE result, else NULL. Conditions are evaluated in order
  /// until one is true, and only the result taken is evaluated.
  static func caseWhen(
    _ arguments: [Expression], _ row: [Datum]
  ) throws(CoprocessorError) -> Datum {
    var index = 0
    while index + 1 < arguments.count {
      if try truth(arguments[index].evaluate(row)) == true {
        return try arguments[index + 1].evaluate(row)
      }
      index += 2
    }
    return index < arguments.count ? try arguments[index].evaluate(row) : .null
  }

  /// `COALESCE(x, ...)`: the first argument that is not NULL, evaluated in order up to it; NULL
  /// if all are.
  static func coalesce(_ arguments: [Expression], _ row: [Datum]) throws(CoprocessorError) -> Datum
  {
    for argument in arguments {
      let value = try argument.evaluate(row)
      if value != .null { return value }
    }
    return .null
  }
}
