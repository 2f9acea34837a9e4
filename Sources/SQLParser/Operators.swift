/// Prefix operators.
public enum UnaryOperator: String, Sendable, Hashable {
  /// `-x`.
  case minus = "-"
  /// `~x`, bit inversion.
  case bitNot = "~"
  /// `NOT x` or `!x`, logical negation.
  case not = "NOT"
}

/// Infix operators, logical, comparison, bitwise and arithmetic.
public enum BinaryOperator: String, Sendable, Hashable {
  /// `OR`, `||`.
  case or = "OR"
  /// `XOR`.
  case xor = "XOR"
  /// `AND`, `&&`.
  case and = "AND"
  /// `=`.
  case equal = "="
  /// `<=>`, equality that holds for two NULLs.
  case nullSafeEqual = "<=>"
  /// `<>`, `!=`.
  case notEqual = "<>"
  /// `<`.
  case less = "<"
  /// `<=`.
  case lessOrEqual = "<="
  /// `>`.
  case greater = ">"
  /// `>=`.
  case greaterOrEqual = ">="
  /// `|`.
  case bitOr = "|"
  /// `&`.
  case bitAnd = "&"
  /// `<<`.
  case shiftLeft = "<<"
  /// `>>`.
  case shiftRight = ">>"
  /// `+`.
  case add = "+"
  /// `-`.
  case subtract = "-"
  /// `*`.
  case multiply = "*"
  /// `/`.
  case divide = "/"
  /// `DIV`, integer division.
  case integerDivide = "DIV"
  /// `%`, `MOD`.
  case modulo = "%"
  /// `^`, bitwise exclusive or.
  case bitXor = "^"

  /// Whether the operator compares its operands (`=`, `<=>`, `<>`, `<`, `<=`, `>`, `>=`).
  public var isComparison: Bool { precedence == .comparison }

  /// How tightly the operator binds.
  var precedence: Precedence {
    switch self {
    case .or: .or
    case .xor: .xor
    case .and: .and
    case .equal, .nullSafeEqual, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
      .comparison
    case .bitOr: .bitOr
    case .bitAnd: .bitAnd
    case .shiftLeft, .shiftRight: .shift
    case .add, .subtract: .additive
    case .multiply, .divide, .integerDivide, .modulo: .multiplicative
    case .bitXor: .bitXor
    }
  }
}

/// MySQL's operator precedence, loosest first: what the parser climbs and the printer
/// parenthesises by.
enum Precedence: Int, Comparable {
  case or = 1
  case xor
  case and
  case not
  /// Comparisons and the predicates (`IS`, `LIKE`, `REGEXP`, `IN`, `BETWEEN`).
  case comparison
  case bitOr
  case bitAnd
  case shift
  case additive
  case multiplicative
  case bitXor
  /// Prefix `-`, `~`.
  case unary
  case collate
  case primary

  /// The next tighter level.
  var tighter: Precedence { Precedence(rawValue: rawValue + 1) ?? .primary }

  static func < (lhs: Precedence, rhs: Precedence) -> Bool { lhs.rawValue < rhs.rawValue }
}
