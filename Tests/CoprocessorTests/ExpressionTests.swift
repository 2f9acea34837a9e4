import Coprocessor
import Foundation
import Testing
import TipbProto

/// Expressions as TinySQL sends them, evaluated with MySQL's NULL semantics.
struct ExpressionTests {
  private func constant(_ datum: Datum) -> Tipb_Expr { Tipb_Expr.constant(datum) }
  private func column(_ offset: Int64) -> Tipb_Expr { Tipb_Expr.column(offset) }
  private func call(_ sig: Tipb_ScalarFuncSig, _ children: Tipb_Expr...) -> Tipb_Expr {
    Tipb_Expr.call(sig, children)
  }
  private func call(_ sig: Tipb_ScalarFuncSig, _ children: [Tipb_Expr]) -> Tipb_Expr {
    Tipb_Expr.call(sig, children)
  }

  private func evaluate(_ pb: Tipb_Expr, _ row: [Datum] = []) throws -> Datum {
    try Expression(pb, columnCount: row.count).evaluate(row)
  }

  @Test("constants and column references decode from their comparable forms")
  func constantsAndColumns() throws {
    for datum: Datum in [.null, .int(-5), .uint(.max), .float(2.5), .bytes(Array("x".utf8))] {
      #expect(try evaluate(constant(datum)) == datum)
    }
    #expect(try evaluate(column(1), [.int(1), .bytes([9])]) == .bytes([9]))
    #expect(throws: CoprocessorError.self) { try Expression(column(2), columnCount: 2) }
  }

  @Test("comparisons: numbers by value across signedness, strings bytewise, NULL makes NULL")
  func comparisons() throws {
    #expect(try evaluate(call(.ltint, constant(.int(-1)), constant(.uint(.max)))) == .int(1))
    #expect(try evaluate(call(.gtint, constant(.uint(5)), constant(.int(-5)))) == .int(1))
    #expect(try evaluate(call(.eqreal, constant(.float(2)), constant(.int(2)))) == .int(1))
    #expect(
      try evaluate(
        call(.ltstring, constant(.bytes(Array("ab".utf8))), constant(.bytes(Array("b".utf8)))))
        == .int(1))
    #expect(try evaluate(call(.eqint, constant(.null), constant(.int(1)))) == .null)
    #expect(try evaluate(call(.nullEqint, constant(.null), constant(.null))) == .int(1))
    #expect(try evaluate(call(.nullEqint, constant(.null), constant(.int(0)))) == .int(0))
    #expect(try evaluate(call(.neint, column(0), constant(.int(3))), [.int(4)]) == .int(1))
  }

  @Test("AND, OR, XOR and NOT with three-valued logic")
  func logic() throws {
    let (t, f, n) = (constant(.int(1)), constant(.int(0)), constant(.null))
    #expect(try evaluate(call(.logicalAnd, f, n)) == .int(0))
    #expect(try evaluate(call(.logicalAnd, t, n)) == .null)
    #expect(try evaluate(call(.logicalAnd, t, t)) == .int(1))
    #expect(try evaluate(call(.logicalOr, t, n)) == .int(1))
    #expect(try evaluate(call(.logicalOr, f, n)) == .null)
    #expect(try evaluate(call(.logicalOr, f, f)) == .int(0))
    #expect(try evaluate(call(.logicalXor, t, n)) == .null)
    #expect(try evaluate(call(.logicalXor, t, f)) == .int(1))
    #expect(try evaluate(call(.unaryNotInt, n)) == .null)
    #expect(try evaluate(call(.unaryNotReal, constant(.float(0.5)))) == .int(0))
  }

  @Test("IS NULL, IN with NULLs in the list, IF and IFNULL, LENGTH, STRCMP")
  func otherFunctions() throws {
    #expect(try evaluate(call(.intIsNull, constant(.null))) == .int(1))
    let list = [constant(.int(1)), constant(.null), constant(.int(3))]
    #expect(try evaluate(call(.inInt, [constant(.int(3))] + list)) == .int(1))
    #expect(try evaluate(call(.inInt, [constant(.int(2))] + list)) == .null)
    #expect(try evaluate(call(.inInt, constant(.int(2)), constant(.int(1)))) == .int(0))
    #expect(try evaluate(call(.inInt, constant(.null), constant(.int(1)))) == .null)
    #expect(
      try evaluate(call(.ifInt, constant(.null), constant(.int(1)), constant(.int(2)))) == .int(2))
    #expect(
      try evaluate(call(.ifInt, constant(.int(7)), constant(.int(1)), constant(.int(2)))) == .int(1)
    )
    #expect(try evaluate(call(.ifNullInt, constant(.null), constant(.int(2)))) == .int(2))
    #expect(try evaluate(call(.length, constant(.bytes(Array("héllo".utf8))))) == .int(6))
    #expect(
      try evaluate(
        call(.strcmp, constant(.bytes(Array("b".utf8))), constant(.bytes(Array("a".utf8)))))
        == .int(1))
  }

  @Test("unsupported functions, wrong argument counts and bad constants are refused by name")
  func refusals() {
    #expect(throws: CoprocessorError.self) {
      try Expression(
        self.call(.ltdecimal, self.constant(.int(1)), self.constant(.int(2))), columnCount: 0)
    }
    #expect(throws: CoprocessorError.self) {
      try Expression(self.call(.ltint, self.constant(.int(1))), columnCount: 0)
    }
    var short = Tipb_Expr()
    short.tp = .int64
    short.val = Data([0x80, 0])
    #expect(throws: CoprocessorError.self) { try Expression(short, columnCount: 0) }
    #expect(throws: CoprocessorError.self) {
      try self.evaluate(self.call(.logicalAnd, self.constant(.bytes([1])), self.constant(.int(1))))
    }
  }

  @Test("a signature our tipb subset does not name is refused with its number")
  func unknownSignature() throws {
    // tp = ScalarFunc (field 1, varint 10000: 0x90 0x4E), sig = RegexpSig (field 4, varint
    // 4311: 0xD7 0x21), which upstream has and our subset does not.
    let pb = try Tipb_Expr(serializedBytes: [0x08, 0x90, 0x4E, 0x20, 0xD7, 0x21] as [UInt8])
    #expect(!pb.hasSig)
    #expect {
      try Expression(pb, columnCount: 0)
    } throws: { error in
      "\(error)".contains("signature 4311")
    }
  }
}

extension ExpressionTests {
  @Test(
    "integer arithmetic: unsigned if either side is, out of range is an error, NULL in NULL out")
  func integerArithmetic() throws {
    #expect(try evaluate(call(.plusInt, constant(.int(2)), constant(.int(-5)))) == .int(-3))
    #expect(try evaluate(call(.plusInt, constant(.uint(2)), constant(.int(5)))) == .uint(7))
    #expect(
      try evaluate(call(.minusInt, constant(.int(.min)), constant(.int(-1)))) == .int(.min + 1))
    #expect(try evaluate(call(.multiplyInt, constant(.int(-3)), constant(.int(4)))) == .int(-12))
    #expect(try evaluate(call(.plusInt, constant(.null), constant(.int(1)))) == .null)
    // 9223372036854775807 + 1 is past BIGINT; 1 - 2 is past BIGINT UNSIGNED.
    #expect(throws: CoprocessorError.self) {
      try self.evaluate(self.call(.plusInt, self.constant(.int(.max)), self.constant(.int(1))))
    }
    #expect(throws: CoprocessorError.self) {
      try self.evaluate(self.call(.minusInt, self.constant(.uint(1)), self.constant(.uint(2))))
    }
    #expect(throws: CoprocessorError.self) {
      try self.evaluate(
        self.call(.multiplyInt, self.constant(.int(1 << 40)), self.constant(.int(1 << 40))))
    }
    // Past 128 bits: the product must not wrap into range.
    #expect(throws: CoprocessorError.self) {
      try self.evaluate(
        self.call(.multiplyIntUnsigned, self.constant(.uint(.max)), self.constant(.uint(.max))))
    }
    #expect(try evaluate(call(.unaryMinusInt, constant(.uint(1 << 63)))) == .int(.min))
    #expect(throws: CoprocessorError.self) {
      try self.evaluate(self.call(.unaryMinusInt, self.constant(.int(.min))))
    }
  }

  @Test("real arithmetic: division by zero is NULL, an infinite result is out of range")
  func realArithmetic() throws {
    #expect(
      try evaluate(call(.divideReal, constant(.float(1)), constant(.float(4)))) == .float(0.25))
    #expect(try evaluate(call(.divideReal, constant(.float(1)), constant(.float(0)))) == .null)
    #expect(try evaluate(call(.plusReal, constant(.float(0.5)), constant(.int(1)))) == .float(1.5))
    #expect(try evaluate(call(.unaryMinusReal, constant(.float(2)))) == .float(-2))
    #expect(throws: CoprocessorError.self) {
      try self.evaluate(
        self.call(.multiplyReal, self.constant(.float(1e300)), self.constant(.float(1e300))))
    }
  }
}
