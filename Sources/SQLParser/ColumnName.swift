/// A column reference as written: `c`, `t.c` or `db.t.c`. Case is kept; MySQL compares column
/// names case-insensitively, and the planner resolves the reference.
public struct ColumnName: Sendable, Hashable, CustomStringConvertible {
  /// The table (with its database, if written) the column is qualified with, if any.
  public var table: TableName?
  /// The column's name.
  public var name: String

  /// The column `name`, qualified with `table` if given.
  public init(table: TableName? = nil, name: String) {
    self.table = table
    self.name = name
  }

  /// The reference as SQL: `` `t`.`c` ``.
  public var description: String {
    (table.map { "\($0)." } ?? "") + Quoting.identifier(name)
  }
}
