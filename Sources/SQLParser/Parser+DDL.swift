/// `CREATE`, `DROP` and `ALTER TABLE`.
extension Parser {
  /// `CREATE DATABASE|SCHEMA`, `CREATE TABLE` or `CREATE [UNIQUE] INDEX`.
  mutating func parseCreate() throws(ParseError) -> Statement {
    try expect(.create)
    switch current.keyword {
    case .database?, .schema?:
      advance()
      let ifNotExists = try acceptIfNotExists()
      let name = try identifier()
      return .createDatabase(
        CreateDatabaseStatement(
          name: name, ifNotExists: ifNotExists, options: try parseDatabaseOptions()))
    case .table?:
      return try parseCreateTable()
    case .unique?, .index?:
      return .createIndex(try parseCreateIndex())
    default:
      throw unexpected()
    }
  }

  /// `[DEFAULT] CHARACTER SET|CHARSET [=] name` and `[DEFAULT] COLLATE [=] name`, repeated.
  private mutating func parseDatabaseOptions() throws(ParseError) -> [DatabaseOption] {
    var options: [DatabaseOption] = []
    while true {
      let isDefault = accept(.default)
      if isKeyword(.charset) || (isKeyword(.character) && peek(1).keyword == .set) {
        if !accept(.charset) {
          advance()
          advance()
        }
        _ = accept(.equal)
        options.append(.charset(try nameOrString().lowercased()))
      } else if accept(.collate) {
        _ = accept(.equal)
        options.append(.collate(try nameOrString().lowercased()))
      } else {
        guard !isDefault else { throw unexpected() }
        return options
      }
    }
  }

  /// `CREATE TABLE [IF NOT EXISTS] t (definitions) [options]` or `... t [(]LIKE u[)]`.
  private mutating func parseCreateTable() throws(ParseError) -> Statement {
    try expect(.table)
    let ifNotExists = try acceptIfNotExists()
    let table = try tableName()
    if accept(.like) {
      return .createTableLike(
        CreateTableLikeStatement(table: table, ifNotExists: ifNotExists, source: try tableName()))
    }
    try expect(.leftParen)
    if accept(.like) {
      let source = try tableName()
      try expect(.rightParen)
      return .createTableLike(
        CreateTableLikeStatement(table: table, ifNotExists: ifNotExists, source: source))
    }
    var create = CreateTableStatement(table: table, ifNotExists: ifNotExists, columns: [])
    repeat {
      if isIndexClauseStart {
        create.indexes.append(try parseIndexClause())
      } else {
        create.columns.append(try parseColumnDefinition())
      }
    } while accept(.comma)
    try expect(.rightParen)
    create.options = try parseTableOptions()
    return .createTable(create)
  }

  /// Whether an index clause (`PRIMARY KEY`, `UNIQUE`, `KEY`, `INDEX`, `CONSTRAINT`) starts here.
  private var isIndexClauseStart: Bool {
    [.primary, .unique, .key, .index, .constraint].contains(current.keyword)
  }

  /// `CREATE [UNIQUE] INDEX name [USING type] ON t (key parts) [options]`.
  private mutating func parseCreateIndex() throws(ParseError) -> CreateIndexStatement {
    let kind: IndexKind = accept(.unique) ? .unique : .index
    try expect(.index)
    let name = try identifier()
    var options = IndexOptions()
    if accept(.using) { options.indexType = try parseIndexType() }
    try expect(.on)
    let table = try tableName()
    let columns = try parseIndexColumns()
    try parseIndexOptions(into: &options)
    return CreateIndexStatement(
      table: table,
      index: IndexDefinition(kind: kind, name: name, columns: columns, options: options))
  }

  /// `DROP DATABASE|SCHEMA`, `DROP TABLE|TABLES` or `DROP INDEX`.
  mutating func parseDrop() throws(ParseError) -> Statement {
    try expect(.drop)
    switch current.keyword {
    case .database?, .schema?:
      advance()
      let ifExists = try acceptIfExists()
      return .dropDatabase(DropDatabaseStatement(name: try identifier(), ifExists: ifExists))
    case .table?, .tables?:
      advance()
      let ifExists = try acceptIfExists()
      let tables = try tableNameList()
      _ = accept(.restrict) || accept(.cascade)
      return .dropTable(DropTableStatement(tables: tables, ifExists: ifExists))
    case .index?:
      advance()
      let name = try identifier()
      try expect(.on)
      return .dropIndex(DropIndexStatement(name: name, table: try tableName()))
    default:
      throw unexpected()
    }
  }

  /// `ALTER TABLE t spec, ...`.
  mutating func parseAlterTable() throws(ParseError) -> AlterTableStatement {
    try expect(.alter)
    try expect(.table)
    let table = try tableName()
    var specs: [AlterTableSpec] = []
    repeat { specs.append(try parseAlterSpec()) } while accept(.comma)
    return AlterTableStatement(table: table, specs: specs)
  }

  private mutating func parseAlterSpec() throws(ParseError) -> AlterTableSpec {
    switch current.keyword {
    case .add?:
      advance()
      if isIndexClauseStart { return .addIndex(try parseIndexClause()) }
      _ = accept(.column)
      guard accept(.leftParen) else {
        let column = try parseColumnDefinition()
        return .addColumn(column, position: try parseColumnPosition())
      }
      var columns = [try parseColumnDefinition()]
      while accept(.comma) { columns.append(try parseColumnDefinition()) }
      try expect(.rightParen)
      return .addColumns(columns)
    case .drop?:
      advance()
      if accept(.primary) {
        try expect(.key)
        return .dropPrimaryKey
      }
      if accept(.index) || accept(.key) { return .dropIndex(try identifier()) }
      _ = accept(.column)
      let name = try identifier()
      _ = accept(.restrict) || accept(.cascade)
      return .dropColumn(name)
    case .modify?:
      advance()
      _ = accept(.column)
      let column = try parseColumnDefinition()
      return .modifyColumn(column, position: try parseColumnPosition())
    case .change?:
      advance()
      _ = accept(.column)
      let old = try identifier()
      let column = try parseColumnDefinition()
      return .changeColumn(old, column, position: try parseColumnPosition())
    case .alter?:
      advance()
      _ = accept(.column)
      let name = try identifier()
      if accept(.set) {
        try expect(.default)
        return .setDefault(name, try parseDefaultValue())
      }
      try expect(.drop)
      try expect(.default)
      return .dropDefault(name)
    case .rename?:
      advance()
      if accept(.column) {
        let old = try identifier()
        try expect(.to)
        return .renameColumn(old, to: try identifier())
      }
      if accept(.index) || accept(.key) {
        let old = try identifier()
        try expect(.to)
        return .renameIndex(old, to: try identifier())
      }
      _ = accept(.to) || accept(.as)
      return .rename(try tableName())
    default:
      let options = try parseTableOptions()
      guard !options.isEmpty else { throw unexpected() }
      return .options(options)
    }
  }

  /// `FIRST` or `AFTER column`, if next.
  private mutating func parseColumnPosition() throws(ParseError) -> ColumnPosition? {
    if accept(.first) { return .first }
    guard accept(.after) else { return nil }
    return .after(try identifier())
  }
}
