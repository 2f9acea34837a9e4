import Testing

@testable import SQLParser

/// Literals as the lexer reads them, seen through the parser.
@Suite struct LiteralTests {
  @Test("integers: Int64, then UInt64, then decimal text; leading zeros dropped")
  func integers() throws {
    #expect(try expr("9223372036854775807") == .literal(.integer(.max)))
    #expect(
      try expr("9223372036854775808") == .literal(.unsignedInteger(9_223_372_036_854_775_808)))
    #expect(try expr("18446744073709551616") == .literal(.decimal("18446744073709551616")))
    #expect(try expr("01000001783") == .literal(.integer(1_000_001_783)))
  }

  @Test("decimals and floats keep their text; doubleValue reads it")
  func decimalsAndFloats() throws {
    #expect(try expr("1.5") == .literal(.decimal("1.5")))
    #expect(try expr(".5") == .literal(.decimal(".5")))
    #expect(try expr("1e3") == .literal(.float("1e3")))
    #expect(try expr("2.5E-3") == .literal(.float("2.5E-3")))
    #expect(Literal.decimal(".5").doubleValue == 0.5)
    #expect(Literal.float("1e3").doubleValue == 1000)
    #expect(Literal.decimal("1.").doubleValue == 1)
    #expect(try expr(".78+.21") == bin(.add, .literal(.decimal(".78")), .literal(.decimal(".21"))))
  }

  @Test("hexadecimal and bit literals are bytes")
  func hexAndBits() throws {
    #expect(try expr("0x1F") == .literal(.hex([0x1F])))
    #expect(try expr("0x123") == .literal(.hex([0x01, 0x23])))
    #expect(try expr("X'0a1B'") == .literal(.hex([0x0A, 0x1B])))
    #expect(try expr("x''") == .literal(.hex([])))
    #expect(try expr("b'101'") == .literal(.bit([0b101])))
    #expect(try expr("0b1000000001") == .literal(.bit([0b10, 0b0000_0001])))
    #expect(try expr("B''") == .literal(.bit([])))
    #expect(!parses("SELECT X'1'"))
    #expect(!parses("SELECT x'0xaa'"))
    #expect(!parses("SELECT b'012'"))
  }

  @Test("strings: both quotes, MySQL's escapes, doubled quotes, adjacent strings joined")
  func strings() throws {
    #expect(try expr("'it''s'") == str("it's"))
    #expect(try expr("\"say \"\"hi\"\"\"") == str("say \"hi\""))
    #expect(
      try expr(#"'a\nb\tc\0d\'e\"f\\g'"#)
        == .literal(.string(Array("a\nb\tc".utf8) + [0] + Array("d'e\"f\\g".utf8), charset: nil)))
    #expect(try expr(#"'\%\_\x'"#) == str(#"\%\_x"#))
    #expect(try expr(#"'\Z\b\r'"#) == .literal(.string([0x1A, 0x08, 0x0D], charset: nil)))
    #expect(try expr("'a' 'b' \"c\"") == str("abc"))
    #expect(try expr("'汉字'") == str("汉字"))
    #expect(try expr("N'x'") == .literal(.string(Array("x".utf8), charset: "utf8")))
    #expect(try expr("_utf8mb4'x'") == .literal(.string(Array("x".utf8), charset: "utf8mb4")))
    #expect(try expr("_binary 'x'") == .literal(.string(Array("x".utf8), charset: "binary")))
  }

  @Test("TRUE, FALSE, NULL and typed temporal literals")
  func keywordsLiterals() throws {
    #expect(try expr("TRUE") == .literal(.boolean(true)))
    #expect(try expr("false") == .literal(.boolean(false)))
    #expect(try expr("NuLl") == .literal(.null))
    #expect(try expr("DATE '2020-01-02'") == .literal(.temporal(.date, "2020-01-02")))
    #expect(
      try expr("TIMESTAMP '2020-01-02 03:04:05'")
        == .literal(.temporal(.timestamp, "2020-01-02 03:04:05")))
    #expect(try expr("TIME '01:02'") == .literal(.temporal(.time, "01:02")))
  }

  @Test("identifiers: unquoted with $ and non-ASCII, backquoted, starting with digits")
  func identifiers() throws {
    #expect(try expr("a$b") == col("a$b"))
    #expect(try expr("扁豆焖面") == col("扁豆焖面"))
    #expect(try expr("123abc") == col("123abc"))
    #expect(try expr("0x1G") == col("0x1G"))
    #expect(try expr("`select`") == col("select"))
    #expect(try expr("t.1a") == col("1a", "t"))
    #expect(try expr("1ea") == col("1ea"))
  }
}

/// Whitespace, comments and version comments.
@Suite struct CommentTests {
  @Test("--, # and /* */ comments are skipped; -- needs a space after it")
  func comments() throws {
    #expect(try expr("1 -- comment\n + 2") == bin(.add, int(1), int(2)))
    #expect(try expr("1 # comment\n + 2") == bin(.add, int(1), int(2)))
    #expect(try expr("1 /* a\nmulti-line */ + /**/ 2") == bin(.add, int(1), int(2)))
    #expect(try expr("1--1") == bin(.subtract, int(1), .unary(.minus, int(1))))
    #expect(try SQLParser.parse("SELECT 1 --").count == 1)
    #expect(try SQLParser.parse("/** 20180417 ******/ show databases;").count == 1)
  }

  @Test("/*! ... */ is read as SQL, with or without a version number")
  func versionComments() throws {
    #expect(
      try statement("/*!40101 SET character_set_client = utf8 */")
        == .set(
          SetStatement(assignments: [
            .variable(.system("character_set_client", scope: nil), str("utf8"))
          ])))
    #expect(try select("SELECT /*!40001 SQL_NO_CACHE */ * FROM t").fields == [.wildcard(nil)])
    #expect(try expr("1 /*! + 2 */") == bin(.add, int(1), int(2)))
    #expect(try SQLParser.parse("/*! SET x = 1; SELECT 2 */").count == 2)
    #expect(try expr("'/*! not a comment */'") == str("/*! not a comment */"))
    #expect(try expr("1 /*+ hint */") == int(1))
  }
}
