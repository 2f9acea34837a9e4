/// The target type of `CAST(x AS type)` and `CONVERT(x, type)`.
public enum CastType: Sendable, Hashable, CustomStringConvertible {
  /// `BINARY[(n)]`.
  case binary(length: Int?)
  /// `CHAR[(n)] [CHARACTER SET cs]` (`NCHAR` is `CHAR` in `utf8`).
  case char(length: Int?, charset: String?)
  /// `DATE`.
  case date
  /// `DATETIME[(fsp)]`.
  case dateTime(precision: Int?)
  /// `TIME[(fsp)]`.
  case time(precision: Int?)
  /// `DECIMAL[(m[,d])]`.
  case decimal(precision: Int?, scale: Int?)
  /// `SIGNED [INTEGER]`.
  case signed
  /// `UNSIGNED [INTEGER]`.
  case unsigned
  /// `DOUBLE` or `REAL`.
  case double
  /// `FLOAT`.
  case float
  /// `JSON`.
  case json

  /// The type as SQL.
  public var description: String {
    switch self {
    case .binary(let length): "BINARY" + CastType.arguments(length)
    case .char(let length, let charset):
      "CHAR" + CastType.arguments(length)
        + (charset.map { " CHARACTER SET " + Quoting.name($0) } ?? "")
    case .date: "DATE"
    case .dateTime(let precision): "DATETIME" + CastType.arguments(precision)
    case .time(let precision): "TIME" + CastType.arguments(precision)
    case .decimal(let precision, let scale): "DECIMAL" + CastType.arguments(precision, scale)
    case .signed: "SIGNED"
    case .unsigned: "UNSIGNED"
    case .double: "DOUBLE"
    case .float: "FLOAT"
    case .json: "JSON"
    }
  }

  /// `(a)` or `(a,b)` for the numbers given, nothing for none.
  static func arguments(_ first: Int?, _ second: Int? = nil) -> String {
    guard let first else { return "" }
    return "(\(first)" + (second.map { ",\($0)" } ?? "") + ")"
  }
}
