import Coprocessor
import Testing
import TipbProto

/// LIKE as TinySQL evaluates it: `%` and `_` over UTF-8 characters, an escape character,
/// bytewise (case-sensitive) comparison.
struct LikeTests {
  private func like(_ text: Datum, _ pattern: Datum, escape: Unicode.Scalar = "\\") throws -> Datum
  {
    try Evaluation.evaluate(
      Tipb_Expr.like(Tipb_Expr.constant(text), Tipb_Expr.constant(pattern), escape: escape))
  }

  @Test(
    "wildcards, escapes and case",
    arguments: [
      ("abc", "a%", true), ("abc", "A%", false), ("ABC", "abc", false), ("abc", "_b_", true),
      ("abc", "_b", false), ("abc", "abc", true), ("abc", "ab", false), ("", "", true),
      ("", "%", true), ("", "_", false), ("ab", "%_", true), ("", "%_", false),
      ("aaab", "%ab", true), ("abcabd", "%abd", true), ("abc", "%%c", true),
      ("abcab", "a%b%c", false), ("xaybz", "%a%b%", true),
      // `\` escapes `%`, `_` and itself, and makes any other character literal.
      ("a%b", "a\\%b", true), ("axb", "a\\%b", false), ("a_b", "a\\_b", true),
      ("axb", "a\\_b", false), ("a\\b", "a\\\\b", true), ("amb", "a\\mb", true),
      // A trailing escape is itself.
      ("a\\", "a\\", true), ("a", "a\\", false),
      // `_` is one character, not one byte.
      ("héllo", "h_llo", true), ("héllo", "h__llo", false), ("日本語", "__語", true),
      ("日本語", "_", false), ("日本語", "%本%", true),
    ] as [(String, String, Bool)])
  func patterns(text: String, pattern: String, matches: Bool) throws {
    #expect(try like(.text(text), .text(pattern)) == .int(matches ? 1 : 0))
  }

  @Test("another escape character, also a multi-byte one")
  func otherEscape() throws {
    #expect(try like(.text("a%b"), .text("a|%b"), escape: "|") == .int(1))
    #expect(try like(.text("axb"), .text("a|%b"), escape: "|") == .int(0))
    #expect(try like(.text("a\\b"), .text("a\\b"), escape: "|") == .int(1))
    #expect(try like(.text("a_b"), .text("aé_b"), escape: "é") == .int(1))
    #expect(try like(.text("axb"), .text("aé_b"), escape: "é") == .int(0))
  }

  @Test("NULL in any argument is NULL; the escape defaults to \\ without a third argument")
  func nullsAndDefaults() throws {
    #expect(try Evaluation.call(.likeSig, .null, .text("%")) == .null)
    #expect(try Evaluation.call(.likeSig, .text("a"), .null) == .null)
    #expect(try Evaluation.call(.likeSig, .text("a"), .text("a"), .null) == .null)
    #expect(try Evaluation.call(.likeSig, .text("a%"), .text("a\\%")) == .int(1))
    #expect(try Evaluation.call(.likeSig, .text("ab"), .text("a\\%")) == .int(0))
  }

  @Test("a number matches by its text; a malformed byte is one character; a bad escape is refused")
  func othersAndRefusals() throws {
    #expect(try like(.int(123), .text("1%")) == .int(1))
    #expect(try like(.float(2.5), .text("2._")) == .int(1))
    #expect(try like(.bytes([0x61, 0xFF]), .text("a_")) == .int(1))
    #expect(try like(.bytes([0xE6, 0x97]), .text("__")) == .int(1))
    #expect(throws: CoprocessorError.self) {
      try Evaluation.call(.likeSig, .text("a"), .text("a"), .int(-1))
    }
    #expect(throws: CoprocessorError.self) {
      try Evaluation.call(.likeSig, .text("a"), .text("a"), .int(0xD800))
    }
  }
}
