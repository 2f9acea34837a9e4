/// A table's name as written: `t` or `db.t`. Case is kept; the catalog decides how names compare
/// (MySQL on Linux compares table names case-sensitively).
public struct TableName: Sendable, Hashable, CustomStringConvertible {
  /// The database (schema) named before the dot, if any; nil means the current database.
  public var schema: String?
  /// The table's name.
  public var name: String

  /// A table `name`, in database `schema` if given.
  public init(schema: String? = nil, name: String) {
    self.schema = schema
    self.name = name
  }

  /// The name as SQL: `` `db`.`t` ``.
  public var description: String {
    (schema.map { Quoting.identifier($0) + "." } ?? "") + Quoting.identifier(name)
  }
}
