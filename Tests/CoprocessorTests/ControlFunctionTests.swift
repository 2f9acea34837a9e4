import Coprocessor
import Testing
import TipbProto

/// CASE WHEN, COALESCE, GREATEST, LEAST, IS TRUE and IS FALSE with MySQL's NULL semantics.
struct ControlFunctionTests {
  private func constant(_ datum: Datum) -> Tipb_Expr { Tipb_Expr.constant(datum) }

  /// An expression that fails when evaluated: a string used as a condition.
  private var failing: Tipb_Expr {
    Tipb_Expr.call(.logicalAnd, [constant(.text("x")), constant(.int(1))])
  }

  @Test("CASE WHEN takes the first true condition, else ELSE, else NULL")
  func caseWhen() throws {
    let (t, f, n) = (constant(.int(1)), constant(.int(0)), constant(.null))
    let twoBranches = [(when: f, then: constant(.int(1))), (when: t, then: constant(.int(2)))]
    #expect(try Evaluation.evaluate(.caseWhen(.int, twoBranches)) == .int(2))
    let noMatch = [(when: f, then: constant(.int(1))), (when: n, then: constant(.int(2)))]
    #expect(try Evaluation.evaluate(.caseWhen(.int, noMatch)) == .null)
    #expect(
      try Evaluation.evaluate(.caseWhen(.string, noMatch, else: constant(.text("e"))))
        == .text("e"))
    #expect(
      try Evaluation.evaluate(.caseWhen(.real, [(when: constant(.float(0.5)), then: n)])) == .null)
  }

  @Test("CASE WHEN evaluates conditions up to the first true one and only the result taken")
  func caseWhenIsLazy() throws {
    let t = constant(.int(1))
    let branches = [(when: t, then: constant(.int(7))), (when: failing, then: failing)]
    #expect(try Evaluation.evaluate(.caseWhen(.int, branches, else: failing)) == .int(7))
    let failingBranch = [(when: constant(.int(0)), then: failing)]
    #expect(
      try Evaluation.evaluate(.caseWhen(.int, failingBranch, else: constant(.int(3)))) == .int(3))
    #expect(throws: CoprocessorError.self) {
      try Evaluation.evaluate(.caseWhen(.int, [(when: self.failing, then: t)]))
    }
  }

  @Test("COALESCE is the first value that is not NULL, evaluated up to it")
  func coalesce() throws {
    let n = constant(.null)
    #expect(
      try Evaluation.evaluate(.coalesce(.int, [n, n, constant(.int(3)), failing])) == .int(3))
    #expect(try Evaluation.evaluate(.coalesce(.int, [n])) == .null)
    #expect(try Evaluation.evaluate(.coalesce(.string, [n, constant(.text(""))])) == .text(""))
    #expect(throws: CoprocessorError.self) {
      try Evaluation.evaluate(.coalesce(.int, [n, self.failing]))
    }
  }

  @Test("IF and IFNULL evaluate only the branch taken")
  func ifIsLazy() throws {
    let ifCall = Tipb_Expr.call(.ifInt, [constant(.int(1)), constant(.int(2)), failing])
    #expect(try Evaluation.evaluate(ifCall) == .int(2))
    let ifNullCall = Tipb_Expr.call(.ifNullInt, [constant(.int(4)), failing])
    #expect(try Evaluation.evaluate(ifNullCall) == .int(4))
  }

  @Test("GREATEST and LEAST: NULL if any argument is; reals and strings in their type")
  func greatestAndLeast() throws {
    func evaluate(_ pb: Tipb_Expr) throws -> Datum { try Evaluation.evaluate(pb) }
    let numbers = [constant(.int(1)), constant(.int(5)), constant(.int(3))]
    #expect(try evaluate(.greatest(.int, numbers)) == .int(5))
    #expect(try evaluate(.least(.int, numbers)) == .int(1))
    #expect(try evaluate(.greatest(.int, numbers + [constant(.null)])) == .null)
    #expect(try evaluate(.least(.string, [constant(.null), constant(.text("a"))])) == .null)
    let signs = [constant(.int(-1)), constant(.uint(.max))]
    #expect(try evaluate(.greatest(.int, signs)) == .uint(.max))
    #expect(try evaluate(.least(.int, signs)) == .int(-1))
    #expect(
      try evaluate(.greatest(.real, [constant(.int(3)), constant(.float(2.5))])) == .float(3))
    #expect(
      try evaluate(.least(.real, [constant(.int(3)), constant(.float(2.5))])) == .float(2.5))
    let words = [constant(.text("apple")), constant(.text("banana")), constant(.text("B"))]
    #expect(try evaluate(.greatest(.string, words)) == .text("banana"))
    #expect(try evaluate(.least(.string, words)) == .text("B"))
    #expect(
      try evaluate(.greatest(.string, [constant(.int(10)), constant(.int(9))])) == .text("9"))
  }

  @Test("IS TRUE and IS FALSE are never NULL; NOT NULL is NULL")
  func truthTests() throws {
    #expect(try Evaluation.call(.intIsTrue, .int(2)) == .int(1))
    #expect(try Evaluation.call(.intIsTrue, .int(0)) == .int(0))
    #expect(try Evaluation.call(.intIsTrue, .null) == .int(0))
    #expect(try Evaluation.call(.intIsFalse, .int(0)) == .int(1))
    #expect(try Evaluation.call(.intIsFalse, .int(1)) == .int(0))
    #expect(try Evaluation.call(.intIsFalse, .null) == .int(0))
    #expect(try Evaluation.call(.realIsTrue, .float(0.5)) == .int(1))
    #expect(try Evaluation.call(.realIsFalse, .float(0)) == .int(1))
    #expect(try Evaluation.call(.realIsFalse, .null) == .int(0))
    #expect(try Evaluation.call(.unaryNotInt, .null) == .null)
  }
}
