import Testing

@testable import SQLParser

/// Random inputs: the parser must answer every one with a tree or a `ParseError`, never trap
/// or hang; and whatever parses must print SQL that parses back to the same tree.
@Suite struct FuzzTests {
  /// The seed every run starts from; a failure names the input and the seed that made it.
  static let seed: UInt64 = 0x5EED_0F_5A1

  /// SplitMix64 (the module has no dependencies, so the tests carry their own generator).
  struct Generator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  /// Parses `sql`; checks the error is MySQL's, or the round trip if it parsed.
  private func check(_ sql: String, seed: UInt64) {
    let statements: [Statement]
    do {
      statements = try SQLParser.parse(sql)
    } catch {
      if error.code != 1064 || error.offset > sql.utf8.count || error.line < 1 {
        Issue.record("seed \(seed): \(sql.debugDescription) gave \(error)")
      }
      return
    }
    for original in statements {
      let printed = original.description
      guard let reparsed = try? SQLParser.parseOne(printed), reparsed == original else {
        Issue.record(
          "seed \(seed): \(sql.debugDescription) printed as \(printed.debugDescription), which does not parse back"
        )
        continue
      }
    }
  }

  @Test("random bytes drawn from SQL's characters")
  func randomBytes() {
    print("FuzzTests.randomBytes seed \(FuzzTests.seed)")
    var random = Generator(state: FuzzTests.seed)
    let alphabet =
      Array("SELECTFROMWHEREabcxyz019 \t\n'\"`\\()[],.;:=<>!+-*/%^&|~?@#_$eEbBxXnN".utf8) + [
        0, 0xC3, 0xA9,
      ]
    for _ in 0..<20_000 {
      let length = Int.random(in: 0...40, using: &random)
      let bytes = (0..<length).map { _ in alphabet.randomElement(using: &random)! }
      check(String(decoding: bytes, as: UTF8.self), seed: FuzzTests.seed)
    }
  }

  @Test("statements of the round-trip corpus with tokens dropped, repeated, swapped or inserted")
  func tokenMutations() {
    print("FuzzTests.tokenMutations seed \(FuzzTests.seed)")
    var random = Generator(state: FuzzTests.seed)
    let corpus = RoundTripTests.corpus.map { sql in
      Lexer.tokenize(Array(sql.utf8)).filter { $0.kind != .end }.map { token in
        String(decoding: Array(sql.utf8)[token.start..<token.end], as: UTF8.self)
      }
    }
    let pool =
      Array(Set(corpus.joined())) + ["(", ")", ",", "NOT", "SELECT", "UNION", "'", "/*", "`", "?"]
    for _ in 0..<30_000 {
      var tokens = corpus.randomElement(using: &random)!
      for _ in 0..<Int.random(in: 1...3, using: &random) where !tokens.isEmpty {
        let index = Int.random(in: 0..<tokens.count, using: &random)
        switch Int.random(in: 0..<4, using: &random) {
        case 0: tokens.remove(at: index)
        case 1: tokens.insert(tokens[index], at: index)
        case 2: tokens.swapAt(index, Int.random(in: 0..<tokens.count, using: &random))
        default: tokens.insert(pool.randomElement(using: &random)!, at: index)
        }
      }
      check(tokens.joined(separator: " "), seed: FuzzTests.seed)
    }
  }
}
