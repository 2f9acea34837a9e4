/// `CREATE DATABASE|SCHEMA [IF NOT EXISTS] name [options]`.
public struct CreateDatabaseStatement: Sendable, Hashable, CustomStringConvertible {
  /// The database's name.
  public var name: String
  /// Whether `IF NOT EXISTS` was given.
  public var ifNotExists: Bool
  /// The character set and collation options, in order.
  public var options: [DatabaseOption]

  /// A statement.
  public init(name: String, ifNotExists: Bool = false, options: [DatabaseOption] = []) {
    self.name = name
    self.ifNotExists = ifNotExists
    self.options = options
  }

  /// The statement as SQL.
  public var description: String {
    (["CREATE DATABASE" + (ifNotExists ? " IF NOT EXISTS" : ""), Quoting.identifier(name)]
      + options.map(\.description)).joined(separator: " ")
  }
}

/// `DROP DATABASE|SCHEMA [IF EXISTS] name`.
public struct DropDatabaseStatement: Sendable, Hashable, CustomStringConvertible {
  /// The database's name.
  public var name: String
  /// Whether `IF EXISTS` was given.
  public var ifExists: Bool

  /// A statement.
  public init(name: String, ifExists: Bool = false) {
    self.name = name
    self.ifExists = ifExists
  }

  /// The statement as SQL.
  public var description: String {
    "DROP DATABASE " + (ifExists ? "IF EXISTS " : "") + Quoting.identifier(name)
  }
}

/// `CREATE TABLE [IF NOT EXISTS] t (columns and indexes) [options]`.
public struct CreateTableStatement: Sendable, Hashable, CustomStringConvertible {
  /// The table created.
  public var table: TableName
  /// Whether `IF NOT EXISTS` was given.
  public var ifNotExists: Bool
  /// The columns, in order (MySQL wants one at least; the engine checks).
  public var columns: [ColumnDefinition]
  /// The `PRIMARY KEY`, `UNIQUE` and `KEY` clauses, in order (indexes declared on a column, as
  /// in `id INT PRIMARY KEY`, are among that column's options instead).
  public var indexes: [IndexDefinition]
  /// The table options, in order.
  public var options: [TableOption]

  /// A statement.
  public init(
    table: TableName, ifNotExists: Bool = false, columns: [ColumnDefinition],
    indexes: [IndexDefinition] = [], options: [TableOption] = []
  ) {
    self.table = table
    self.ifNotExists = ifNotExists
    self.columns = columns
    self.indexes = indexes
    self.options = options
  }

  /// The statement as SQL.
  public var description: String {
    let elements = columns.map(\.description) + indexes.map(\.description)
    return
      ([
        "CREATE TABLE" + (ifNotExists ? " IF NOT EXISTS" : ""), table.description,
        "(" + elements.joined(separator: ", ") + ")",
      ] + options.map(\.description))
      .joined(separator: " ")
  }
}

/// `CREATE TABLE [IF NOT EXISTS] t LIKE source` (or `(LIKE source)`).
public struct CreateTableLikeStatement: Sendable, Hashable, CustomStringConvertible {
  /// The table created.
  public var table: TableName
  /// Whether `IF NOT EXISTS` was given.
  public var ifNotExists: Bool
  /// The table whose definition is copied.
  public var source: TableName

  /// A statement.
  public init(table: TableName, ifNotExists: Bool = false, source: TableName) {
    self.table = table
    self.ifNotExists = ifNotExists
    self.source = source
  }

  /// The statement as SQL.
  public var description: String {
    "CREATE TABLE " + (ifNotExists ? "IF NOT EXISTS " : "") + "\(table) LIKE \(source)"
  }
}

/// `DROP TABLE|TABLES [IF EXISTS] t1, t2 [RESTRICT|CASCADE]` (the last two change nothing).
public struct DropTableStatement: Sendable, Hashable, CustomStringConvertible {
  /// The tables dropped, in order.
  public var tables: [TableName]
  /// Whether `IF EXISTS` was given.
  public var ifExists: Bool

  /// A statement.
  public init(tables: [TableName], ifExists: Bool = false) {
    self.tables = tables
    self.ifExists = ifExists
  }

  /// The statement as SQL.
  public var description: String {
    "DROP TABLE " + (ifExists ? "IF EXISTS " : "")
      + tables.map(\.description).joined(separator: ", ")
  }
}

/// `RENAME TABLE a TO b [, c TO d ...]`.
public struct RenameTableStatement: Sendable, Hashable, CustomStringConvertible {
  /// The renames, applied in order.
  public var renames: [TableRename]

  /// A statement.
  public init(renames: [TableRename]) { self.renames = renames }

  /// The statement as SQL.
  public var description: String {
    "RENAME TABLE " + renames.map { "\($0.from) TO \($0.to)" }.joined(separator: ", ")
  }
}

/// One `a TO b` of `RENAME TABLE`.
public struct TableRename: Sendable, Hashable {
  /// The table's current name.
  public var from: TableName
  /// Its new name.
  public var to: TableName

  /// A rename.
  public init(from: TableName, to: TableName) {
    self.from = from
    self.to = to
  }
}

/// `CREATE [UNIQUE] INDEX name [USING type] ON t (key parts) [options]`.
public struct CreateIndexStatement: Sendable, Hashable, CustomStringConvertible {
  /// The table indexed.
  public var table: TableName
  /// The index: `unique` or `index` kind, always named.
  public var index: IndexDefinition

  /// A statement.
  public init(table: TableName, index: IndexDefinition) {
    self.table = table
    self.index = index
  }

  /// The statement as SQL.
  public var description: String {
    "CREATE " + (index.kind == .unique ? "UNIQUE " : "") + "INDEX "
      + Quoting.identifier(index.name ?? "") + " ON \(table) " + IndexColumn.list(index.columns)
      + index.options.description
  }
}

/// `DROP INDEX name ON t`.
public struct DropIndexStatement: Sendable, Hashable, CustomStringConvertible {
  /// The index's name.
  public var name: String
  /// Its table.
  public var table: TableName

  /// A statement.
  public init(name: String, table: TableName) {
    self.name = name
    self.table = table
  }

  /// The statement as SQL.
  public var description: String { "DROP INDEX " + Quoting.identifier(name) + " ON \(table)" }
}
