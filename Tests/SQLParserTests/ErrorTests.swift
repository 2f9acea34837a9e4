import Testing

@testable import SQLParser

/// Errors: MySQL's code, SQLSTATE and message, with the failing token's offset and line.
@Suite struct ErrorTests {
  private let prefix =
    "You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near "

  @Test("a syntax error quotes the rest of the query from the failing token")
  func syntaxError() throws {
    let error = try #require(parseError("SELECT * FORM t"))
    #expect(error.code == 1064)
    #expect(error.sqlState == "42000")
    #expect(error.offset == 9)
    #expect(error.line == 1)
    #expect(error.message == prefix + "'FORM t' at line 1")
    #expect(error.description == error.message)
  }

  @Test("at the end of the query the quote is empty")
  func atEnd() throws {
    #expect(parseError("SELECT")?.message == prefix + "'' at line 1")
    #expect(parseError("SELECT a FROM")?.offset == 13)
  }

  @Test("the line is the failing token's; the offset counts UTF-8 bytes")
  func lines() throws {
    let error = try #require(parseError("SELECT a,\n  b\nFROM t WHERE\n\n ) x"))
    #expect(error.line == 5)
    #expect(error.message == prefix + "') x' at line 5")
    let unicode = try #require(parseError("SELECT '汉字' FROM WHERE"))
    #expect(unicode.offset == 21)
  }

  @Test("the quote stops after 80 characters")
  func truncation() throws {
    let tail = String(repeating: "é", count: 100)
    let error = try #require(parseError("SELECT 1 FROM t WHERE ) \(tail)"))
    #expect(error.message == prefix + "') " + String(repeating: "é", count: 78) + "' at line 1")
  }

  @Test("unterminated strings, identifiers and comments are syntax errors where they start")
  func unterminated() throws {
    #expect(parseError("SELECT 'abc")?.message == prefix + "''abc' at line 1")
    #expect(parseError("SELECT \"abc")?.offset == 7)
    #expect(parseError("SELECT `abc")?.offset == 7)
    #expect(parseError("SELECT 'a\\'")?.offset == 7)
    #expect(
      parseError("delete from t where a = 7 or 1=1/*' and b = 'p'")?.message == prefix
        + "'/*' and b = 'p'' at line 1")
    #expect(
      parseError("delete from t where a = 7 or\n 1=1/*' and b = 'p'")?.message == prefix
        + "'/*' and b = 'p'' at line 2")
    #expect(parseError("select 1/*")?.message == prefix + "'/*' at line 1")
    #expect(parseError("SELECT /*! 1")?.offset == 7)
    #expect(parses("select 1/* comment */"))
    #expect(parseError("SELECT @")?.offset == 7)
    #expect(parseError("SELECT 1 \\ 2")?.offset == 9)
  }

  @Test("an empty query is 1065; a second statement where one is expected is a syntax error")
  func emptyAndExtra() throws {
    #expect(try SQLParser.parse("").isEmpty)
    #expect(try SQLParser.parse(" ; ;; -- nothing").isEmpty)
    #expect(throws: ParseError.emptyQuery) { try SQLParser.parseOne(";") }
    #expect(
      ParseError.emptyQuery.code == 1065 && ParseError.emptyQuery.message == "Query was empty")
    #expect(throws: ParseError.syntax(in: Array("SELECT 1; SELECT 2".utf8), at: 10, line: 1)) {
      try SQLParser.parseOne("SELECT 1; SELECT 2")
    }
    #expect(try SQLParser.parseOne("SELECT 1;;") == SQLParser.parseOne("SELECT 1"))
    #expect(parseError("SELECT 1 SELECT 2")?.offset == 9)
  }

  @Test("a statement that fails does not hide where: the first error of a script is reported")
  func scriptErrors() throws {
    #expect(parseError("SELECT 1; SELECT FROM; SELECT 'x")?.offset == 17)
    #expect(parseError("SELECT 1; SELECT 'x")?.offset == 17)
  }

  @Test("nesting too deep is a syntax error, not a crash; reasonable nesting parses")
  func depth() throws {
    let deep = 10_000
    for sql in [
      "SELECT " + String(repeating: "(", count: deep) + "1" + String(repeating: ")", count: deep),
      "SELECT " + String(repeating: "NOT ", count: deep) + "1",
      "SELECT " + String(repeating: "- ", count: deep) + "1",
      "SELECT " + String(repeating: "(SELECT ", count: deep) + "1",
      "SELECT * FROM " + String(repeating: "(", count: deep) + "t",
      "SELECT " + String(repeating: "CASE WHEN ", count: deep) + "1",
    ] {
      #expect(parseError(sql)?.code == 1064)
    }
    let nested = 60
    #expect(
      parses(
        "SELECT " + String(repeating: "(", count: nested) + "1"
          + String(repeating: ")", count: nested)))
    #expect(
      parses(
        "SELECT " + String(repeating: "(SELECT ", count: nested / 2) + "1"
          + String(repeating: ")", count: nested / 2)))
    #expect(parses("SELECT " + Array(repeating: "a", count: deep).joined(separator: " + ")))
  }
}
