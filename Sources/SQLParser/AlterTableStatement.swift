/// `ALTER TABLE t spec [, spec ...]`.
public struct AlterTableStatement: Sendable, Hashable, CustomStringConvertible {
  /// The table altered.
  public var table: TableName
  /// The alterations, in order; at least one.
  public var specs: [AlterTableSpec]

  /// A statement.
  public init(table: TableName, specs: [AlterTableSpec]) {
    self.table = table
    self.specs = specs
  }

  /// The statement as SQL.
  public var description: String {
    "ALTER TABLE \(table) " + specs.map(\.description).joined(separator: ", ")
  }
}

/// One alteration of `ALTER TABLE`.
public enum AlterTableSpec: Sendable, Hashable, CustomStringConvertible {
  /// `ADD [COLUMN] definition [FIRST | AFTER c]`.
  case addColumn(ColumnDefinition, position: ColumnPosition?)
  /// `ADD [COLUMN] (definition, ...)`.
  case addColumns([ColumnDefinition])
  /// `ADD [CONSTRAINT [name]] PRIMARY KEY|UNIQUE|INDEX|KEY ...`.
  case addIndex(IndexDefinition)
  /// `DROP [COLUMN] c`.
  case dropColumn(String)
  /// `DROP INDEX|KEY name`.
  case dropIndex(String)
  /// `DROP PRIMARY KEY`.
  case dropPrimaryKey
  /// `MODIFY [COLUMN] definition [FIRST | AFTER c]`.
  case modifyColumn(ColumnDefinition, position: ColumnPosition?)
  /// `CHANGE [COLUMN] old definition [FIRST | AFTER c]`: the definition names the new column.
  case changeColumn(String, ColumnDefinition, position: ColumnPosition?)
  /// `ALTER [COLUMN] c SET DEFAULT value`.
  case setDefault(String, Expr)
  /// `ALTER [COLUMN] c DROP DEFAULT`.
  case dropDefault(String)
  /// `RENAME [TO|AS] name`.
  case rename(TableName)
  /// `RENAME COLUMN a TO b`.
  case renameColumn(String, to: String)
  /// `RENAME INDEX|KEY a TO b`.
  case renameIndex(String, to: String)
  /// Table options: `ENGINE = x AUTO_INCREMENT = n ...`.
  case options([TableOption])

  /// The alteration as SQL.
  public var description: String {
    switch self {
    case .addColumn(let column, let position):
      "ADD COLUMN \(column)" + AlterTableSpec.text(position)
    case .addColumns(let columns):
      "ADD COLUMN (" + columns.map(\.description).joined(separator: ", ") + ")"
    case .addIndex(let index): "ADD \(index)"
    case .dropColumn(let name): "DROP COLUMN " + Quoting.identifier(name)
    case .dropIndex(let name): "DROP INDEX " + Quoting.identifier(name)
    case .dropPrimaryKey: "DROP PRIMARY KEY"
    case .modifyColumn(let column, let position):
      "MODIFY COLUMN \(column)" + AlterTableSpec.text(position)
    case .changeColumn(let old, let column, let position):
      "CHANGE COLUMN " + Quoting.identifier(old) + " \(column)" + AlterTableSpec.text(position)
    case .setDefault(let column, let value):
      "ALTER COLUMN " + Quoting.identifier(column) + " SET DEFAULT "
        + ColumnOption.defaultText(value)
    case .dropDefault(let column): "ALTER COLUMN " + Quoting.identifier(column) + " DROP DEFAULT"
    case .rename(let table): "RENAME TO \(table)"
    case .renameColumn(let old, let new):
      "RENAME COLUMN " + Quoting.identifier(old) + " TO " + Quoting.identifier(new)
    case .renameIndex(let old, let new):
      "RENAME INDEX " + Quoting.identifier(old) + " TO " + Quoting.identifier(new)
    case .options(let options): options.map(\.description).joined(separator: " ")
    }
  }

  private static func text(_ position: ColumnPosition?) -> String {
    position.map { " \($0)" } ?? ""
  }
}
