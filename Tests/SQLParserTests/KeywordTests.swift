import Testing

@testable import SQLParser

/// Keywords: case-insensitive, reserved ones usable only quoted or after a dot.
@Suite struct KeywordTests {
  /// Words that name things in MySQL without quotes (from MySQL's and TinySQL's lists).
  static let unreserved = [
    "auto_increment", "after", "begin", "bit", "bool", "boolean", "charset", "columns", "commit",
    "date", "datetime", "do", "end", "engine", "engines", "first", "full", "local", "names",
    "offset", "password", "rollback", "session", "signed", "start", "global", "tables", "text",
    "time", "timestamp", "transaction", "truncate", "unknown", "value", "warnings", "year", "now",
    "substr", "mode", "any", "some", "user", "collation", "comment", "escape", "status", "fields",
    "isolation", "repeatable", "committed", "uncommitted", "only", "serializable", "level",
    "variables", "processlist", "count", "sum", "name", "type", "format", "share", "query",
    "jobs", "ddl", "admin", "visible", "invisible", "modify", "json", "enum", "fixed", "day",
  ]

  /// Reserved words, usable after a dot (TinySQL's list, which MySQL reserves too).
  static let reserved = [
    "add", "all", "alter", "analyze", "and", "as", "asc", "between", "bigint", "binary", "blob",
    "both", "by", "cascade", "case", "change", "character", "check", "collate", "column",
    "constraint", "convert", "create", "cross", "current_date", "current_time",
    "current_timestamp", "current_user", "database", "databases", "day_hour", "decimal",
    "default", "delete", "desc", "describe", "distinct", "distinctrow", "div", "double", "drop",
    "dual", "else", "exists", "explain", "false", "float", "for", "force", "foreign", "from",
    "group", "having", "if", "ignore", "in", "index", "inner", "insert", "int", "integer",
    "interval", "into", "is", "join", "key", "keys", "kill", "left", "like", "limit", "lock",
    "mod", "not", "null", "numeric", "on", "or", "order", "outer", "primary", "read", "real",
    "regexp", "rename", "repeat", "replace", "right", "row", "schema", "select", "set", "show",
    "smallint", "table", "then", "to", "true", "union", "unique", "unsigned", "update", "use",
    "using", "values", "varchar", "when", "where", "with", "xor", "zerofill", "rank", "window",
  ]

  @Test("unreserved keywords name columns, tables and aliases unquoted")
  func unreservedNames() throws {
    for word in KeywordTests.unreserved {
      #expect(try select("SELECT \(word) FROM tbl").fields == [.expression(col(word))], "\(word)")
      #expect(parses("SELECT a \(word) FROM \(word) \(word)"), "\(word)")
      #expect(parses("CREATE TABLE \(word) (\(word) INT)"), "\(word)")
    }
  }

  @Test("reserved keywords need backquotes, except after a dot or before one")
  func reservedNames() throws {
    for word in KeywordTests.reserved {
      if word != "dual" { #expect(!parses("SELECT a FROM \(word)"), "\(word)") }
      #expect(!parses("CREATE TABLE t (\(word) INT)"), "\(word)")
      #expect(
        try select("SELECT t.\(word) FROM t").fields == [.expression(col(word, "t"))], "\(word)")
      #expect(try select("SELECT * FROM db.\(word)").from == [table(word, schema: "db")], "\(word)")
      #expect(
        try select("SELECT * FROM \(word).desc").from == [table("desc", schema: word)], "\(word)")
      #expect(try select("SELECT `\(word)` FROM `\(word)`").from == [table(word)], "\(word)")
    }
  }

  @Test("keywords match in any case; names keep theirs")
  func caseInsensitivity() throws {
    #expect(
      try statement("sElEcT MyCol FrOm MyTable wHeRe Status Is NoT nUlL")
        == statement("SELECT MyCol FROM MyTable WHERE Status IS NOT NULL"))
    #expect(try select("select MyCol from MyTable").fields == [.expression(col("MyCol"))])
    #expect(try select("select MyCol from MyTable").from == [table("MyTable")])
  }

  @Test("every keyword's spelling is its name in upper case, and the lexer finds it")
  func keywordTable() {
    for keyword in Keyword.allCases {
      #expect(Keyword.named(keyword.rawValue) == keyword)
      let tokens = Lexer.tokenize(Array(keyword.rawValue.lowercased().utf8))
      #expect(tokens.first?.keyword == keyword)
    }
    #expect(Keyword.isReserved("SELECT") && !Keyword.isReserved("STATUS"))
  }
}
