/// A column in `CREATE TABLE` or `ALTER TABLE`: `name type [options]`.
public struct ColumnDefinition: Sendable, Hashable, CustomStringConvertible {
  /// The column's name.
  public var name: String
  /// Its type (with any `CHARACTER SET` and `COLLATE` of the definition).
  public var type: DataType
  /// The options, in the order written; when one contradicts another the later wins.
  public var options: [ColumnOption]

  /// A column.
  public init(name: String, type: DataType, options: [ColumnOption] = []) {
    self.name = name
    self.type = type
    self.options = options
  }

  /// Whether the column refuses NULL (the last of `NULL`/`NOT NULL` written decides; a
  /// `PRIMARY KEY` column refuses NULL anyway).
  public var isNotNull: Bool {
    for option in options.reversed() {
      if option == .notNull { return true }
      if option == .null { return false }
    }
    return false
  }

  /// The `DEFAULT` value, if one was written (the last one).
  public var defaultValue: Expr? {
    for case .defaultValue(let value) in options.reversed() { return value }
    return nil
  }

  /// The `ON UPDATE` value, if one was written (the last one).
  public var onUpdate: Expr? {
    for case .onUpdate(let value) in options.reversed() { return value }
    return nil
  }

  /// The `COMMENT`, if one was written (the last one).
  public var comment: String? {
    for case .comment(let text) in options.reversed() { return text }
    return nil
  }

  /// Whether `AUTO_INCREMENT` was given.
  public var isAutoIncrement: Bool { options.contains(.autoIncrement) }
  /// Whether `PRIMARY KEY` (or `KEY`) was given.
  public var isPrimaryKey: Bool { options.contains(.primaryKey) }
  /// Whether `UNIQUE [KEY]` was given.
  public var isUnique: Bool { options.contains(.uniqueKey) }

  /// The definition as SQL.
  public var description: String {
    ([Quoting.identifier(name), type.description] + options.map(\.description))
      .joined(separator: " ")
  }
}

/// A column option.
public enum ColumnOption: Sendable, Hashable, CustomStringConvertible {
  /// `NULL`.
  case null
  /// `NOT NULL`.
  case notNull
  /// `DEFAULT value`: a literal, a signed number, `NULL`, `CURRENT_TIMESTAMP[(n)]` (or its
  /// synonyms `NOW()`, `LOCALTIME`, `LOCALTIMESTAMP`), or a parenthesised expression.
  case defaultValue(Expr)
  /// `AUTO_INCREMENT`.
  case autoIncrement
  /// `PRIMARY KEY`, or `KEY` alone.
  case primaryKey
  /// `UNIQUE [KEY]`.
  case uniqueKey
  /// `COMMENT 'text'`.
  case comment(String)
  /// `ON UPDATE CURRENT_TIMESTAMP[(n)]` (or a synonym).
  case onUpdate(Expr)

  /// The option as SQL; a default that is not a literal or a current-time function is
  /// parenthesised, as MySQL requires.
  public var description: String {
    switch self {
    case .null: "NULL"
    case .notNull: "NOT NULL"
    case .defaultValue(let value): "DEFAULT " + ColumnOption.defaultText(value)
    case .autoIncrement: "AUTO_INCREMENT"
    case .primaryKey: "PRIMARY KEY"
    case .uniqueKey: "UNIQUE KEY"
    case .comment(let text): "COMMENT " + Quoting.string(Array(text.utf8))
    case .onUpdate(let value): "ON UPDATE \(value)"
    }
  }

  /// A default value as SQL: bare if MySQL takes it bare, else in parentheses.
  static func defaultText(_ value: Expr) -> String {
    switch value {
    case .literal, .unary(.minus, .literal): value.description
    case .function(let call) where currentTimeFunctions.contains(call.name): value.description
    default: "(\(value))"
    }
  }

  /// The functions MySQL takes as a bare `DEFAULT` or `ON UPDATE`.
  static let currentTimeFunctions: Set<String> = [
    "current_timestamp", "now", "localtime", "localtimestamp",
  ]
}

/// Where `ALTER TABLE ... ADD|MODIFY|CHANGE` puts a column.
public enum ColumnPosition: Sendable, Hashable, CustomStringConvertible {
  /// `FIRST`.
  case first
  /// `AFTER column`.
  case after(String)

  /// The position as SQL.
  public var description: String {
    switch self {
    case .first: "FIRST"
    case .after(let column): "AFTER " + Quoting.identifier(column)
    }
  }
}
