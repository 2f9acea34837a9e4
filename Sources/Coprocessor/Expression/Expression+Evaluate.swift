extension Expression {
  /// The value of this expression over `row` (the input row whose columns the expression's
  /// column references index), with MySQL's NULL semantics: a comparison with NULL is NULL,
  /// `AND` is false if either side is false and NULL if either is NULL otherwise, `OR` the same
  /// with true. Booleans are the integers 1 and 0.
  /// - Throws: `CoprocessorError` for an argument of a type the function does not take, or a
  ///   result out of its type's range (code 1690).
  public func evaluate(_ row: [Datum]) throws(CoprocessorError) -> Datum {
    switch self {
    case .constant(let datum): return datum
    case .column(let offset): return row[offset]
    case .function(let function, let arguments):
      return try Self.apply(function, arguments, row)
    }
  }

  private static func apply(
    _ function: ScalarFunction, _ arguments: [Expression], _ row: [Datum]
  ) throws(CoprocessorError) -> Datum {
    // The control functions evaluate only the arguments they need.
    switch function {
    case .if: return try conditional(arguments, row)
    case .ifNull: return try ifNull(arguments, row)
    case .caseWhen: return try caseWhen(arguments, row)
    case .coalesce: return try coalesce(arguments, row)
    default: break
    }
    var values: [Datum] = []
    for argument in arguments { values.append(try argument.evaluate(row)) }
    switch function {
    case .compare(.nullSafeEq, _):
      if values[0] == .null || values[1] == .null {
        return .boolean(values[0] == values[1])
      }
      return .boolean(try order(values[0], values[1]) == 0)
    case .compare(let comparison, _):
      guard values[0] != .null, values[1] != .null else { return .null }
      let order = try order(values[0], values[1])
      let holds =
        switch comparison {
        case .lt: order < 0
        case .le: order <= 0
        case .gt: order > 0
        case .ge: order >= 0
        case .eq: order == 0
        case .ne, .nullSafeEq: order != 0
        }
      return .boolean(holds)
    case .arithmetic(let operation):
      return try Self.arithmetic(operation, values[0], values[1])
    case .negate:
      return try Self.negate(values[0])
    case .and:
      let (a, b) = (try truth(values[0]), try truth(values[1]))
      if a == false || b == false { return .boolean(false) }
      return a == nil || b == nil ? .null : .boolean(true)
    case .or:
      let (a, b) = (try truth(values[0]), try truth(values[1]))
      if a == true || b == true { return .boolean(true) }
      return a == nil || b == nil ? .null : .boolean(false)
    case .xor:
      guard let a = try truth(values[0]), let b = try truth(values[1]) else { return .null }
      return .boolean(a != b)
    case .not:
      guard let a = try truth(values[0]) else { return .null }
      return .boolean(!a)
    case .isNull:
      return .boolean(values[0] == .null)
    case .isTrue:
      return .boolean(try truth(values[0]) == true)
    case .isFalse:
      return .boolean(try truth(values[0]) == false)
    case .isIn:
      guard values[0] != .null else { return .null }
      var sawNull = false
      for candidate in values.dropFirst() {
        if candidate == .null {
          sawNull = true
        } else if try order(values[0], candidate) == 0 {
          return .boolean(true)
        }
      }
      return sawNull ? .null : .boolean(false)
    case .greatest(let kind):
      return try extreme(values, kind) { $0 > 0 }
    case .least(let kind):
      return try extreme(values, kind) { $0 < 0 }
    case .cast(let kind, let unsigned):
      return try values[0].cast(to: kind, unsigned: unsigned)
    case .like:
      return try like(values)
    case .string(let function):
      return try string(function, values)
    case .math(let function):
      return try math(function, values)
    case .bitwise(let operation):
      return try bitwise(operation, values)
    case .if, .ifNull, .caseWhen, .coalesce:
      preconditionFailure("evaluated lazily above")
    }
  }

  /// Whether a value counts as true; nil for NULL.
  static func truth(_ datum: Datum) throws(CoprocessorError) -> Bool? {
    switch datum {
    case .null: nil
    case .int(let value): value != 0
    case .uint(let value): value != 0
    case .float(let value): value != 0
    default: throw CoprocessorError("\(datum) used as a condition")
    }
  }

  /// -1, 0 or 1 as `a` sorts before, with or after `b`: numbers by value (signed against
  /// unsigned exactly, integers against reals as reals), strings bytewise.
  static func order(_ a: Datum, _ b: Datum) throws(CoprocessorError) -> Int {
    func sign<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : x == y ? 0 : 1 }
    switch (a, b) {
    case (.int(let x), .int(let y)): return sign(x, y)
    case (.uint(let x), .uint(let y)): return sign(x, y)
    case (.int(let x), .uint(let y)): return x < 0 ? -1 : sign(UInt64(x), y)
    case (.uint(let x), .int(let y)): return y < 0 ? 1 : sign(x, UInt64(y))
    case (.bytes(let x), .bytes(let y)):
      return x == y ? 0 : x.lexicographicallyPrecedes(y) ? -1 : 1
    default:
      guard let x = a.real, let y = b.real else {
        throw CoprocessorError("cannot compare \(a) with \(b)")
      }
      return sign(x, y)
    }
  }

  /// `GREATEST` or `LEAST` (the value whose order against the best so far `wins`): NULL if any
  /// value is; integers as they are, reals and strings first cast to the signature's type.
  private static func extreme(
    _ values: [Datum], _ kind: ScalarFunction.Kind, wins: (Int) -> Bool
  ) throws(CoprocessorError) -> Datum {
    guard !values.contains(.null) else { return .null }
    let candidates =
      kind == .int
      ? values
      : try values.map { (value) throws(CoprocessorError) in
        try value.cast(to: kind, unsigned: false)
      }
    var best = candidates[0]
    for candidate in candidates.dropFirst() {
      if wins(try order(candidate, best)) { best = candidate }
    }
    return best
  }
}

extension Datum {
  /// MySQL's booleans: 1 and 0.
  static func boolean(_ value: Bool) -> Datum { .int(value ? 1 : 0) }

  /// A number as a real; nil for other values.
  var real: Double? {
    switch self {
    case .int(let value): Double(value)
    case .uint(let value): Double(value)
    case .float(let value): value
    default: nil
    }
  }
}
