/// A call of a scalar function: `name(arguments)`. Names are lower-cased (`concat`, `if`,
/// `now`, `current_timestamp`); functions MySQL lets go without parentheses
/// (`CURRENT_TIMESTAMP`, `CURRENT_USER`, `LOCALTIME`, ...) get an empty argument list, and the
/// special forms become ordinary calls: `SUBSTRING(s FROM p FOR n)` is `substring(s, p, n)`,
/// `POSITION(a IN b)` is `locate(a, b)`.
public struct FunctionCall: Sendable, Hashable, CustomStringConvertible {
  /// The function's name, lower-cased.
  public var name: String
  /// The arguments, in order.
  public var arguments: [Expr]

  /// A call of `name` (lower-cased here) with `arguments`.
  public init(name: String, arguments: [Expr]) {
    self.name = name.lowercased()
    self.arguments = arguments
  }

  /// The call as SQL: `NAME(a, b)`.
  public var description: String {
    FunctionCall.nameText(name) + "(" + arguments.map(\.description).joined(separator: ", ") + ")"
  }

  /// A function's name as SQL: upper-cased when it reads back as the same function, else
  /// backquoted.
  static func nameText(_ name: String) -> String {
    let upper = name.uppercased()
    if Quoting.isPlainWord(name) || reservedFunctionNames.contains(upper) { return upper }
    return Quoting.identifier(name)
  }

  /// Reserved words that MySQL reads as a function's name before `(`.
  static let reservedFunctionNames: Set<String> = [
    "CHAR", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "CURRENT_USER", "DATABASE", "IF",
    "INSERT", "INTERVAL", "LEFT", "LOCALTIME", "LOCALTIMESTAMP", "MOD", "REPEAT", "REPLACE",
    "RIGHT", "SCHEMA", "UTC_DATE", "UTC_TIME", "UTC_TIMESTAMP",
  ]
}

/// The aggregate functions, named as in SQL (lower-cased).
public enum AggregateFunction: String, Sendable, Hashable, CaseIterable {
  case count
  case sum
  case avg
  case min
  case max
  case groupConcat = "group_concat"
  case bitAnd = "bit_and"
  case bitOr = "bit_or"
  case bitXor = "bit_xor"
  case std
  case stddev
  case stddevPop = "stddev_pop"
  case stddevSamp = "stddev_samp"
  case variance
  case varPop = "var_pop"
  case varSamp = "var_samp"

  /// Whether `DISTINCT` may qualify the arguments (MySQL allows it for these only).
  var allowsDistinct: Bool {
    switch self {
    case .count, .sum, .avg, .min, .max, .groupConcat: true
    default: false
    }
  }
}

/// A call of an aggregate function: `COUNT(*)`, `COUNT(DISTINCT a, b)`, `SUM(x)`,
/// `GROUP_CONCAT(DISTINCT x ORDER BY y SEPARATOR ';')`.
public struct AggregateCall: Sendable, Hashable, CustomStringConvertible {
  /// The function.
  public var function: AggregateFunction
  /// Whether `DISTINCT` qualifies the arguments.
  public var distinct: Bool
  /// The arguments; empty for `COUNT(*)` (and only then).
  public var arguments: [Expr]
  /// `GROUP_CONCAT`'s `ORDER BY` (empty for the other functions).
  public var orderBy: [OrderItem]
  /// `GROUP_CONCAT`'s `SEPARATOR` string, if given (MySQL's default is `,`).
  public var separator: [UInt8]?

  /// A call of `function`.
  public init(
    function: AggregateFunction, distinct: Bool = false, arguments: [Expr],
    orderBy: [OrderItem] = [], separator: [UInt8]? = nil
  ) {
    self.function = function
    self.distinct = distinct
    self.arguments = arguments
    self.orderBy = orderBy
    self.separator = separator
  }

  /// Whether this is `COUNT(*)`.
  public var isCountStar: Bool { function == .count && arguments.isEmpty }

  /// The call as SQL: `COUNT(DISTINCT a, b)`.
  public var description: String {
    var text = function.rawValue.uppercased() + "(" + (distinct ? "DISTINCT " : "")
    text += isCountStar ? "*" : arguments.map(\.description).joined(separator: ", ")
    if !orderBy.isEmpty {
      text += " ORDER BY " + orderBy.map(\.description).joined(separator: ", ")
    }
    if let separator { text += " SEPARATOR " + Quoting.string(separator) }
    return text + ")"
  }
}
