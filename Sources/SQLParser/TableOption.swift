/// A table option of `CREATE TABLE` or `ALTER TABLE`. MySQL lets them go with or without `=`
/// and commas; `CHARSET` is kept lower-cased, as are collations.
public enum TableOption: Sendable, Hashable, CustomStringConvertible {
  /// `ENGINE [=] name`.
  case engine(String)
  /// `[DEFAULT] CHARACTER SET|CHARSET [=] name`.
  case charset(String)
  /// `[DEFAULT] COLLATE [=] name`.
  case collate(String)
  /// `AUTO_INCREMENT [=] n`: the next value the table's counter hands out.
  case autoIncrement(UInt64)
  /// `COMMENT [=] 'text'`.
  case comment(String)
  /// `ROW_FORMAT [=] name` (upper-cased).
  case rowFormat(String)

  /// The option as SQL.
  public var description: String {
    switch self {
    case .engine(let name): "ENGINE = " + Quoting.name(name)
    case .charset(let name): "DEFAULT CHARSET = " + Quoting.name(name)
    case .collate(let name): "COLLATE = " + Quoting.name(name)
    case .autoIncrement(let value): "AUTO_INCREMENT = \(value)"
    case .comment(let text): "COMMENT = " + Quoting.string(Array(text.utf8))
    case .rowFormat(let name): "ROW_FORMAT = " + Quoting.name(name)
    }
  }
}

/// An option of `CREATE DATABASE` (kept; TinyKV stores every database in utf8mb4).
public enum DatabaseOption: Sendable, Hashable, CustomStringConvertible {
  /// `[DEFAULT] CHARACTER SET|CHARSET [=] name` (lower-cased).
  case charset(String)
  /// `[DEFAULT] COLLATE [=] name` (lower-cased).
  case collate(String)

  /// The option as SQL.
  public var description: String {
    switch self {
    case .charset(let name): "CHARACTER SET " + Quoting.name(name)
    case .collate(let name): "COLLATE " + Quoting.name(name)
    }
  }
}
