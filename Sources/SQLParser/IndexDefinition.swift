/// An index: a `PRIMARY KEY`, `UNIQUE` or `KEY`/`INDEX` clause of `CREATE TABLE`, an
/// `ALTER TABLE ... ADD` of one, or the index of `CREATE [UNIQUE] INDEX`. A `CONSTRAINT name`
/// before it names it when it has no name of its own (as in MySQL).
public struct IndexDefinition: Sendable, Hashable, CustomStringConvertible {
  /// What the index enforces.
  public var kind: IndexKind
  /// The index's name, if written (MySQL names a primary key `PRIMARY` whatever is written).
  public var name: String?
  /// The key parts, in order.
  public var columns: [IndexColumn]
  /// `USING`, `COMMENT`, `VISIBLE`/`INVISIBLE`.
  public var options: IndexOptions

  /// An index.
  public init(
    kind: IndexKind, name: String? = nil, columns: [IndexColumn],
    options: IndexOptions = IndexOptions()
  ) {
    self.kind = kind
    self.name = name
    self.columns = columns
    self.options = options
  }

  /// The index as a table's clause: `UNIQUE KEY `u` (`a`, `b`(10))`.
  public var description: String {
    kind.rawValue + (name.map { " " + Quoting.identifier($0) } ?? "") + " "
      + IndexColumn.list(columns) + options.description
  }
}

/// The kinds of index.
public enum IndexKind: String, Sendable, Hashable {
  /// `PRIMARY KEY`.
  case primaryKey = "PRIMARY KEY"
  /// `UNIQUE [KEY|INDEX]`.
  case unique = "UNIQUE KEY"
  /// `KEY` or `INDEX`.
  case index = "INDEX"
}

/// A key part: a column, with a prefix length (`c(10)`) and a direction.
public struct IndexColumn: Sendable, Hashable, CustomStringConvertible {
  /// The column.
  public var name: String
  /// The prefix length, if written.
  public var length: Int?
  /// Whether `DESC` was written.
  public var descending: Bool

  /// A key part.
  public init(name: String, length: Int? = nil, descending: Bool = false) {
    self.name = name
    self.length = length
    self.descending = descending
  }

  /// The key part as SQL.
  public var description: String {
    Quoting.identifier(name) + CastType.arguments(length) + (descending ? " DESC" : "")
  }

  /// `(a, b(10))`.
  static func list(_ columns: [IndexColumn]) -> String {
    "(" + columns.map(\.description).joined(separator: ", ") + ")"
  }
}

/// An index's options.
public struct IndexOptions: Sendable, Hashable, CustomStringConvertible {
  /// `USING BTREE|HASH|RTREE` (upper-cased), if written.
  public var indexType: String?
  /// `COMMENT 'text'`, if written.
  public var comment: String?
  /// `INVISIBLE` (the optimizer ignores the index); `VISIBLE` is the default.
  public var isInvisible: Bool

  /// Options.
  public init(indexType: String? = nil, comment: String? = nil, isInvisible: Bool = false) {
    self.indexType = indexType
    self.comment = comment
    self.isInvisible = isInvisible
  }

  /// The options as SQL, each led by a space (empty when none is set).
  public var description: String {
    var text = ""
    if let indexType { text += " USING " + indexType }
    if let comment { text += " COMMENT " + Quoting.string(Array(comment.utf8)) }
    if isInvisible { text += " INVISIBLE" }
    return text
  }
}
