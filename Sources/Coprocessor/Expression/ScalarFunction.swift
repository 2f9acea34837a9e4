import TipbProto

/// The scalar functions this store evaluates, for the evaluation types its rows hold (integers,
/// reals, strings): TinySQL's push-down list, and what a SQL front end evaluating with
/// `Expression` needs besides (casts, LIKE, CASE, string, math and bit functions). Decimal,
/// time, duration and JSON signatures are refused by name. `init?(_:fieldType:)` maps tipb's
/// signatures to them (ScalarFunction+Signatures.swift).
public enum ScalarFunction: Sendable, Equatable {
  /// A comparison operator.
  public enum Comparison: Sendable, Equatable {
    case lt, le, gt, ge, eq, ne
    /// `<=>`: NULL-safe equality.
    case nullSafeEq
  }

  /// The evaluation type a signature takes its arguments as, or a cast gives.
  public enum Kind: Sendable, Equatable {
    case int, real, string
  }

  /// An arithmetic operator.
  public enum Arithmetic: Sendable, Equatable {
    case plus, minus, multiply
    /// Real division.
    case divide
    /// `DIV`: integer division, truncated toward zero.
    case intDivide
    /// `%`, `MOD`: the remainder, with the dividend's sign.
    case modulo
  }

  /// What a string function counts in: bytes (tipb's signatures for binary strings) or UTF-8
  /// characters (its `...UTF8` signatures, for nonbinary strings).
  public enum TextUnit: Sendable, Equatable {
    case bytes, characters
  }

  /// Which ends `TRIM` trims: the third argument of `Trim3Args`, as TiDB's parser numbers
  /// `TRIM({BOTH | LEADING | TRAILING} remstr FROM str)` (0, plain `TRIM(remstr FROM str)`,
  /// trims both ends too).
  public enum TrimDirection: Int64, Sendable {
    case both = 1
    case leading = 2
    case trailing = 3
  }

  /// A string function.
  public enum StringFunction: Sendable, Equatable {
    /// `LENGTH(s)`: its length in bytes.
    case length
    /// `CHAR_LENGTH(s)`.
    case charLength(TextUnit)
    /// `STRCMP(a, b)`: -1, 0 or 1.
    case strcmp
    /// `CONCAT(s, ...)`.
    case concat
    /// `CONCAT_WS(separator, s, ...)`.
    case concatWS
    /// `UPPER(s)`, `LOWER(s)`.
    case upper, lower
    /// `LEFT(s, n)`, `RIGHT(s, n)`.
    case left(TextUnit), right(TextUnit)
    /// `SUBSTRING(s, position[, length])`.
    case substring(TextUnit)
    /// `LOCATE(substring, s[, position])`.
    case locate(TextUnit)
    /// `INSTR(s, substring)`.
    case instr(TextUnit)
    /// `REVERSE(s)`.
    case reverse(TextUnit)
    /// `TRIM(s[, remstr[, direction]])`: spaces unless `remstr` is given, both ends unless
    /// `direction` says otherwise.
    case trim
    /// `LTRIM(s)`, `RTRIM(s)`: spaces.
    case ltrim, rtrim
    /// `REPLACE(s, from, to)`.
    case replace
    /// `REPEAT(s, count)`.
    case `repeat`
    /// `HEX(s)`: the bytes as uppercase hexadecimal; `HEX(n)` of an integer: its digits.
    case hex
    /// `LPAD(s, length, padding)` (`leading`) and `RPAD(s, length, padding)`.
    case pad(leading: Bool, TextUnit)
  }

  /// A math function.
  public enum MathFunction: Sendable, Equatable {
    case abs, ceil, floor
    /// `ROUND(x[, decimals])`.
    case round
    /// `SIGN(x)`: -1, 0 or 1.
    case sign
    /// `POW(x, y)`: a real.
    case pow
  }

  /// A bitwise operator, on 64-bit unsigned integers.
  public enum Bitwise: Sendable, Equatable {
    case and, or, xor
    /// `~x`.
    case not
    /// `x << n`, `x >> n`.
    case leftShift, rightShift
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
  /// `x IS TRUE`, `x IS FALSE`: never NULL.
  case isTrue, isFalse
  /// `x IN (list...)`.
  case isIn(Kind)
  /// `GREATEST(x, y, ...)`, `LEAST(x, y, ...)`.
  case greatest(Kind), least(Kind)
  /// `IFNULL(x, y)`.
  case ifNull
  /// `IF(condition, x, y)`.
  case `if`
  /// `CASE WHEN c1 THEN r1 [WHEN c2 THEN r2 ...] [ELSE r] END`: the arguments are
  /// c1, r1, c2, r2, ..., then r if there is an ELSE.
  case caseWhen
  /// `COALESCE(x, ...)`: the first that is not NULL.
  case coalesce
  /// `CAST(x AS ...)` to `Kind`; an integer `unsigned` when the cast's field type says so.
  case cast(to: Kind, unsigned: Bool)
  /// `s LIKE pattern [ESCAPE c]`: the escape character, a code point, is the third argument.
  case like
  case string(StringFunction)
  case math(MathFunction)
  case bitwise(Bitwise)

  /// How many arguments the function takes.
  var arity: ClosedRange<Int> {
    switch self {
    case .not, .isNull, .isTrue, .isFalse, .negate, .cast, .bitwise(.not), .math(.abs),
      .math(.ceil), .math(.floor), .math(.sign):
      1...1
    case .math(.pow): 2...2
    case .compare, .arithmetic, .and, .or, .xor, .ifNull, .bitwise: 2...2
    case .if: 3...3
    case .isIn, .coalesce: 1...Int.max
    case .greatest, .least, .caseWhen: 2...Int.max
    case .like: 2...3
    case .math(.round): 1...2
    case .string(let function): function.arity
    }
  }
}

extension ScalarFunction.StringFunction {
  var arity: ClosedRange<Int> {
    switch self {
    case .length, .charLength, .upper, .lower, .reverse, .ltrim, .rtrim, .hex: 1...1
    case .strcmp, .left, .right, .instr, .repeat: 2...2
    case .substring, .locate: 2...3
    case .replace, .pad: 3...3
    case .trim: 1...3
    case .concat: 1...Int.max
    case .concatWS: 2...Int.max
    }
  }
}
