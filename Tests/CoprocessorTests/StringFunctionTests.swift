import Coprocessor
import Testing
import TipbProto

/// String functions with MySQL's results, worked out by hand: bytes for the binary-string
/// signatures, UTF-8 characters for the `...UTF8` ones.
struct StringFunctionTests {
  private func call(_ sig: Tipb_ScalarFuncSig, _ arguments: Datum...) throws -> Datum {
    try Evaluation.call(sig, arguments)
  }

  @Test("CONCAT is NULL if any argument is; CONCAT_WS skips NULLs after the separator")
  func concat() throws {
    #expect(try call(.concat, .text("a"), .text("b"), .text("c")) == .text("abc"))
    #expect(try call(.concat, .text("a"), .null) == .null)
    #expect(try call(.concat, .text("a"), .int(1), .float(2.5)) == .text("a12.5"))
    #expect(try call(.concat, .text("")) == .text(""))
    #expect(
      try call(.concatWs, .text(","), .text("a"), .null, .text("b"), .text(""))
        == .text("a,b,"))
    #expect(try call(.concatWs, .null, .text("a")) == .null)
    #expect(try call(.concatWs, .text(","), .null) == .text(""))
    #expect(try call(.concatWs, .text("日"), .text("a"), .text("b")) == .text("a日b"))
  }

  @Test("UPPER and LOWER map Unicode characters one to one and keep malformed bytes")
  func caseMapping() throws {
    #expect(try call(.upper, .text("héllo ß")) == .text("HÉLLO ß"))
    #expect(try call(.upperUtf8, .text("straße")) == .text("STRAßE"))
    #expect(try call(.lower, .text("ÀBC Σ")) == .text("àbc σ"))
    #expect(try call(.upper, .bytes([0x61, 0xFF])) == .bytes([0x41, 0xFF]))
    #expect(try call(.lower, .null) == .null)
    #expect(try call(.upper, .text("")) == .text(""))
  }

  @Test("LENGTH counts bytes, CHAR_LENGTH characters (CharLengthUTF8) or bytes (CharLength)")
  func lengths() throws {
    #expect(try call(.length, .text("héllo")) == .int(6))
    #expect(try call(.length, .int(123)) == .int(3))
    #expect(try call(.charLengthUtf8, .text("héllo")) == .int(5))
    #expect(try call(.charLengthUtf8, .text("日本語")) == .int(3))
    #expect(try call(.charLength, .text("日本語")) == .int(9))
    #expect(try call(.charLengthUtf8, .text("")) == .int(0))
    // A combining accent is a character of its own, a malformed byte too.
    #expect(try call(.charLengthUtf8, .text("e\u{301}")) == .int(2))
    #expect(try call(.charLengthUtf8, .bytes([0x61, 0xE6, 0x97])) == .int(3))
    #expect(try call(.charLengthUtf8, .null) == .null)
  }

  @Test("LEFT and RIGHT: nothing for a length of 0 or less, everything past the end")
  func leftAndRight() throws {
    #expect(try call(.leftUtf8, .text("héllo"), .int(2)) == .text("hé"))
    #expect(try call(.left, .text("héllo"), .int(2)) == .bytes([0x68, 0xC3]))
    #expect(try call(.leftUtf8, .text("abc"), .int(0)) == .text(""))
    #expect(try call(.leftUtf8, .text("abc"), .int(-1)) == .text(""))
    #expect(try call(.leftUtf8, .text("abc"), .int(10)) == .text("abc"))
    #expect(try call(.leftUtf8, .text("abc"), .uint(.max)) == .text("abc"))
    #expect(try call(.leftUtf8, .text("abc"), .text("2")) == .text("ab"))
    #expect(try call(.leftUtf8, .null, .int(1)) == .null)
    #expect(try call(.leftUtf8, .text("abc"), .null) == .null)
    #expect(try call(.rightUtf8, .text("héllo"), .int(4)) == .text("éllo"))
    #expect(try call(.right, .text("héllo"), .int(4)) == .bytes([0xA9] + Array("llo".utf8)))
    #expect(try call(.rightUtf8, .text("abc"), .int(-2)) == .text(""))
    #expect(try call(.rightUtf8, .text("abc"), .int(5)) == .text("abc"))
  }

  @Test(
    "SUBSTRING counts from 1, negative positions from the end, 0 gives nothing",
    arguments: [
      ("Quadratically", 5, nil, "ratically"), ("foobarbar", 4, nil, "barbar"),
      ("Quadratically", 5, 6, "ratica"), ("Sakila", -3, nil, "ila"), ("Sakila", -5, 3, "aki"),
      ("abc", 0, nil, ""), ("abc", 4, nil, ""), ("abc", -3, nil, "abc"), ("abc", -4, nil, ""),
      ("abc", 2, 0, ""), ("abc", 2, -1, ""), ("abc", 2, 100, "bc"), ("abc", 1, .max, "abc"),
      ("日本語です", 2, 2, "本語"), ("日本語", -1, nil, "語"), ("", 1, nil, ""),
    ] as [(String, Int64, Int64?, String)])
  func substring(text: String, position: Int64, length: Int64?, expected: String) throws {
    let result =
      if let length {
        try call(.substring3ArgsUtf8, .text(text), .int(position), .int(length))
      } else {
        try call(.substring2ArgsUtf8, .text(text), .int(position))
      }
    #expect(result == .text(expected))
  }

  @Test("SUBSTRING of a binary string counts bytes; NULL in, NULL out")
  func substringBytes() throws {
    #expect(try call(.substring3Args, .text("日本語"), .int(4), .int(3)) == .text("本"))
    #expect(try call(.substring2Args, .text("日本語"), .int(-3)) == .text("語"))
    #expect(try call(.substring2Args, .text("日本語"), .null) == .null)
    #expect(try call(.substring3Args, .text("abc"), .int(1), .null) == .null)
  }

  @Test("LOCATE and INSTR: 1-based positions, 0 when absent, case-sensitive")
  func locate() throws {
    #expect(try call(.locate2ArgsUtf8, .text("bar"), .text("foobarbar")) == .int(4))
    #expect(try call(.locate2ArgsUtf8, .text("xbar"), .text("foobar")) == .int(0))
    #expect(try call(.locate3ArgsUtf8, .text("bar"), .text("foobarbar"), .int(5)) == .int(7))
    #expect(try call(.locate2ArgsUtf8, .text(""), .text("abc")) == .int(1))
    #expect(try call(.locate3ArgsUtf8, .text(""), .text("abc"), .int(3)) == .int(3))
    #expect(try call(.locate3ArgsUtf8, .text(""), .text("abc"), .int(4)) == .int(4))
    #expect(try call(.locate3ArgsUtf8, .text(""), .text("abc"), .int(5)) == .int(0))
    #expect(try call(.locate3ArgsUtf8, .text("a"), .text("abc"), .int(0)) == .int(0))
    #expect(try call(.locate2ArgsUtf8, .text("B"), .text("abc")) == .int(0))
    #expect(try call(.locate2ArgsUtf8, .text("語"), .text("日本語")) == .int(3))
    #expect(try call(.locate2Args, .text("語"), .text("日本語")) == .int(7))
    #expect(try call(.locate3Args, .text("b"), .text("abcb"), .int(3)) == .int(4))
    #expect(try call(.locate2ArgsUtf8, .null, .text("abc")) == .null)
    #expect(try call(.instrUtf8, .text("foobarbar"), .text("bar")) == .int(4))
    #expect(try call(.instrUtf8, .text("foobar"), .text("xbar")) == .int(0))
    #expect(try call(.instrUtf8, .text("日本語"), .text("語")) == .int(3))
    #expect(try call(.instr, .text("日本語"), .text("語")) == .int(7))
    #expect(try call(.instr, .text("abc"), .null) == .null)
  }

  @Test("REVERSE by characters or by bytes")
  func reverse() throws {
    #expect(try call(.reverseUtf8, .text("abc")) == .text("cba"))
    #expect(try call(.reverseUtf8, .text("日本é")) == .text("é本日"))
    #expect(try call(.reverse, .text("é")) == .bytes([0xA9, 0xC3]))
    #expect(try call(.reverseUtf8, .null) == .null)
  }

  @Test("TRIM, LTRIM and RTRIM: spaces only, or a given string repeatedly, from either end")
  func trims() throws {
    #expect(try call(.trim1Arg, .text("  bar   ")) == .text("bar"))
    #expect(try call(.trim1Arg, .text("\tbar ")) == .text("\tbar"))
    #expect(try call(.ltrim, .text("  bar  ")) == .text("bar  "))
    #expect(try call(.rtrim, .text("  bar  ")) == .text("  bar"))
    #expect(try call(.trim2Args, .text("xxbarxx"), .text("x")) == .text("bar"))
    #expect(try call(.trim2Args, .text("xyxbarxy"), .text("xy")) == .text("xbar"))
    #expect(try call(.trim2Args, .text("abc"), .text("")) == .text("abc"))
    #expect(try call(.trim2Args, .text("aaa"), .text("a")) == .text(""))
    #expect(try call(.trim1Arg, .null) == .null)
    #expect(try call(.trim2Args, .text("a"), .null) == .null)
    let trim = { (direction: ScalarFunction.TrimDirection, text: String, removed: String) in
      try Evaluation.evaluate(
        Tipb_Expr.trim(.constant(.text(text)), removing: .constant(.text(removed)), from: direction)
      )
    }
    #expect(try trim(.leading, "xxxbarxxx", "x") == .text("barxxx"))
    #expect(try trim(.trailing, "barxxyz", "xyz") == .text("barx"))
    #expect(try trim(.both, "xxxbarxxx", "x") == .text("bar"))
    // 0: TRIM(remstr FROM str) without a direction trims both ends too.
    #expect(try call(.trim3Args, .text("xbarx"), .text("x"), .int(0)) == .text("bar"))
    #expect(try call(.trim3Args, .text("xbarx"), .text("x"), .null) == .null)
  }

  @Test("REPLACE is bytewise and case-sensitive; REPEAT past 64 MiB is NULL")
  func replaceAndRepeat() throws {
    #expect(
      try call(.replace, .text("www.mysql.com"), .text("w"), .text("Ww"))
        == .text("WwWwWw.mysql.com"))
    #expect(try call(.replace, .text("aaa"), .text("aa"), .text("b")) == .text("ba"))
    #expect(try call(.replace, .text("abc"), .text(""), .text("x")) == .text("abc"))
    #expect(try call(.replace, .text("abc"), .text("B"), .text("x")) == .text("abc"))
    #expect(try call(.replace, .text("日本"), .text("本"), .text("")) == .text("日"))
    #expect(try call(.replace, .text("abc"), .null, .text("x")) == .null)
    #expect(try call(.repeat, .text("ab"), .int(3)) == .text("ababab"))
    #expect(try call(.repeat, .text("ab"), .int(0)) == .text(""))
    #expect(try call(.repeat, .text("ab"), .int(-1)) == .text(""))
    #expect(try call(.repeat, .text("ab"), .null) == .null)
    #expect(try call(.repeat, .text("a"), .int(1 << 40)) == .null)
    #expect(try call(.repeat, .text(""), .int(1 << 40)) == .text(""))
  }

  @Test("STRCMP compares the texts of its arguments bytewise")
  func strcmp() throws {
    #expect(try call(.strcmp, .int(10), .int(9)) == .int(-1))
    #expect(try call(.strcmp, .text("a"), .text("a")) == .int(0))
    #expect(try call(.strcmp, .text("a"), .text("B")) == .int(1))
    #expect(try call(.strcmp, .null, .text("a")) == .null)
  }
}
