import TipbProto

/// The scalar functions this store evaluates: TinySQL's push-down list for the evaluation types
/// its rows hold (integers, reals, strings). Decimal, time, duration and JSON signatures are
/// refused by name.
public enum ScalarFunction: Sendable, Equatable {
  /// A comparison operator.
  public enum Comparison: Sendable, Equatable {
    case lt, le, gt, ge, eq, ne
    /// `<=>`: NULL-safe equality.
    case nullSafeEq
  }

  /// The evaluation type a signature takes its arguments as.
  public enum Kind: Sendable, Equatable {
    case int, real, string
  }

  /// An arithmetic operator.
  public enum Arithmetic: Sendable, Equatable {
    case plus, minus, multiply
    /// Real division.
    case divide
  }

  case compare(Comparison, Kind)
  /// `x op y`: integer arithmetic on two integers (unsigned if either is), real otherwise.
  case arithmetic(Arithmetic)
  /// `-x`.
  case negate
  case and, or, xor
  /// `NOT x`.
  case not
  /// `x IS NULL`.
  case isNull
  /// `x IN (list...)`.
  case isIn(Kind)
  /// `IFNULL(x, y)`.
  case ifNull
  /// `IF(condition, x, y)`.
  case `if`
  /// `LENGTH(s)`: its length in bytes.
  case length
  /// `STRCMP(a, b)`: -1, 0 or 1.
  case strcmp

  /// How many arguments the function takes.
  var arity: ClosedRange<Int> {
    switch self {
    case .not, .isNull, .length, .negate: 1...1
    case .compare, .arithmetic, .and, .or, .xor, .ifNull, .strcmp: 2...2
    case .if: 3...3
    case .isIn: 1...Int.max
    }
  }

  /// The function of `sig`; nil for one this store does not evaluate.
  init?(_ sig: Tipb_ScalarFuncSig) {
    if let comparison = Self.comparisons[sig] {
      self = .compare(comparison.0, comparison.1)
      return
    }
    switch sig {
    case .plusInt, .plusReal, .plusIntUnsignedUnsigned, .plusIntUnsignedSigned,
      .plusIntSignedUnsigned, .plusIntSignedSigned:
      self = .arithmetic(.plus)
    case .minusInt, .minusReal: self = .arithmetic(.minus)
    case .multiplyInt, .multiplyReal, .multiplyIntUnsigned: self = .arithmetic(.multiply)
    case .divideReal: self = .arithmetic(.divide)
    case .unaryMinusInt, .unaryMinusReal: self = .negate
    case .logicalAnd: self = .and
    case .logicalOr: self = .or
    case .logicalXor: self = .xor
    case .unaryNotInt, .unaryNotReal: self = .not
    case .intIsNull, .realIsNull, .stringIsNull: self = .isNull
    case .inInt: self = .isIn(.int)
    case .inReal: self = .isIn(.real)
    case .inString: self = .isIn(.string)
    case .ifNullInt, .ifNullReal, .ifNullString: self = .ifNull
    case .ifInt, .ifReal, .ifString: self = .if
    case .length: self = .length
    case .strcmp: self = .strcmp
    default: return nil
    }
  }

  private static let comparisons: [Tipb_ScalarFuncSig: (Comparison, Kind)] = [
    .ltint: (.lt, .int), .ltreal: (.lt, .real), .ltstring: (.lt, .string),
    .leint: (.le, .int), .lereal: (.le, .real), .lestring: (.le, .string),
    .gtint: (.gt, .int), .gtreal: (.gt, .real), .gtstring: (.gt, .string),
    .geint: (.ge, .int), .gereal: (.ge, .real), .gestring: (.ge, .string),
    .eqint: (.eq, .int), .eqreal: (.eq, .real), .eqstring: (.eq, .string),
    .neint: (.ne, .int), .nereal: (.ne, .real), .nestring: (.ne, .string),
    .nullEqint: (.nullSafeEq, .int), .nullEqreal: (.nullSafeEq, .real),
    .nullEqstring: (.nullSafeEq, .string),
  ]
}
