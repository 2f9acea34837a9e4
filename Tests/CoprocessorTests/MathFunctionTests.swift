import Coprocessor
import Testing
import TipbProto

/// DIV, MOD, ABS, CEIL, FLOOR, ROUND and the bit operators with MySQL's results, worked out by
/// hand.
struct MathFunctionTests {
  private func call(_ sig: Tipb_ScalarFuncSig, _ arguments: Datum...) throws -> Datum {
    try Evaluation.call(sig, arguments)
  }

  /// Whether evaluating `sig` of `arguments` fails with MySQL's "out of range" (1690).
  private func outOfRange(_ sig: Tipb_ScalarFuncSig, _ arguments: Datum...) -> Bool {
    do {
      _ = try Evaluation.call(sig, arguments)
      return false
    } catch let error as CoprocessorError {
      return error.code == CoprocessorError.outOfRangeCode
    } catch {
      return false
    }
  }

  @Test("DIV truncates toward zero; by zero it is NULL; past BIGINT an error")
  func integerDivision() throws {
    #expect(try call(.intDivideInt, .int(7), .int(2)) == .int(3))
    #expect(try call(.intDivideInt, .int(-7), .int(2)) == .int(-3))
    #expect(try call(.intDivideInt, .int(7), .int(-2)) == .int(-3))
    #expect(try call(.intDivideInt, .int(5), .int(0)) == .null)
    #expect(try call(.intDivideInt, .null, .int(2)) == .null)
    #expect(outOfRange(.intDivideInt, .int(.min), .int(-1)))
    #expect(try call(.intDivideInt, .uint(10), .int(3)) == .uint(3))
    #expect(try call(.intDivideInt, .int(-2), .uint(3)) == .uint(0))
    #expect(outOfRange(.intDivideInt, .int(-10), .uint(3)))
    // From reals, into a BIGINT.
    #expect(try call(.intDivideInt, .float(7.5), .int(2)) == .int(3))
    #expect(try call(.intDivideInt, .float(-7.5), .float(2)) == .int(-3))
    #expect(try call(.intDivideInt, .float(5), .float(0)) == .null)
    #expect(outOfRange(.intDivideInt, .float(1e300), .float(1e-10)))
  }

  @Test("MOD takes the dividend's sign; by zero it is NULL")
  func modulo() throws {
    #expect(try call(.modInt, .int(7), .int(3)) == .int(1))
    #expect(try call(.modInt, .int(-7), .int(3)) == .int(-1))
    #expect(try call(.modInt, .int(7), .int(-3)) == .int(1))
    #expect(try call(.modInt, .int(-7), .int(-3)) == .int(-1))
    #expect(try call(.modInt, .int(5), .int(0)) == .null)
    #expect(try call(.modInt, .int(.min), .int(-1)) == .int(0))
    #expect(try call(.modInt, .uint(7), .int(-3)) == .uint(1))
    #expect(try call(.modInt, .int(-7), .uint(3)) == .int(-1))
    #expect(try call(.modInt, .uint(.max), .uint(10)) == .uint(5))
    #expect(try call(.modReal, .float(5.5), .float(2)) == .float(1.5))
    #expect(try call(.modReal, .float(-5.5), .float(2)) == .float(-1.5))
    #expect(try call(.modReal, .float(5.5), .float(0)) == .null)
    #expect(try call(.modReal, .null, .float(2)) == .null)
  }

  @Test("real division by zero is NULL; unary minus of -2^63 is out of range")
  func divisionAndNegation() throws {
    #expect(try call(.divideReal, .int(1), .int(0)) == .null)
    #expect(try call(.divideReal, .float(-1), .float(0)) == .null)
    #expect(outOfRange(.unaryMinusInt, .int(.min)))
    #expect(try call(.unaryMinusInt, .int(.max)) == .int(-.max))
  }

  @Test("ABS, CEIL and FLOOR keep integers integers and reals reals")
  func absCeilFloor() throws {
    #expect(try call(.absInt, .int(-5)) == .int(5))
    #expect(outOfRange(.absInt, .int(.min)))
    #expect(try call(.absUint, .uint(.max)) == .uint(.max))
    #expect(try call(.absReal, .float(-2.5)) == .float(2.5))
    #expect(try call(.absReal, .text("-3")) == .float(3))
    #expect(try call(.absInt, .null) == .null)
    #expect(try call(.ceilReal, .float(1.2)) == .float(2))
    #expect(try call(.ceilReal, .float(-1.2)) == .float(-1))
    #expect(try call(.ceilIntToInt, .int(-5)) == .int(-5))
    #expect(try call(.floorReal, .float(1.8)) == .float(1))
    #expect(try call(.floorReal, .float(-1.2)) == .float(-2))
    #expect(try call(.floorIntToInt, .uint(.max)) == .uint(.max))
    #expect(try call(.floorReal, .null) == .null)
  }

  @Test(
    "ROUND of a real: half away from zero, at any number of decimals",
    arguments: [
      (-2.5, nil, -3), (2.5, nil, 3), (2.4, nil, 2), (-0.4, nil, 0), (0.5, nil, 1),
      (1.298, 1, 1.3), (1.298, 0, 1), (23.298, -1, 20), (-1.25, 1, -1.3), (155, -1, 160),
      (1e300, 10, 1e300), (1.5, 400, 1.5), (1.5, -400, 0), (12345.678, -20, 0),
    ] as [(Double, Int64?, Double)])
  func roundReal(value: Double, digits: Int64?, expected: Double) throws {
    let result =
      if let digits {
        try call(.roundWithFracReal, .float(value), .int(digits))
      } else {
        try call(.roundReal, .float(value))
      }
    #expect(result == .float(expected))
  }

  @Test("ROUND of an integer is exact; past its type's range an error")
  func roundInteger() throws {
    #expect(try call(.roundInt, .int(5)) == .int(5))
    #expect(try call(.roundWithFracInt, .int(1234), .int(-2)) == .int(1200))
    #expect(try call(.roundWithFracInt, .int(1250), .int(-2)) == .int(1300))
    #expect(try call(.roundWithFracInt, .int(-1250), .int(-2)) == .int(-1300))
    #expect(try call(.roundWithFracInt, .int(1234), .int(2)) == .int(1234))
    #expect(try call(.roundWithFracInt, .uint(15), .int(-1)) == .uint(20))
    #expect(try call(.roundWithFracInt, .int(5), .int(-25)) == .int(0))
    #expect(try call(.roundWithFracInt, .int(4_999_999_999_999_999_999), .int(-19)) == .int(0))
    #expect(
      try call(.roundWithFracInt, .uint(14_000_000_000_000_000_000), .int(-19))
        == .uint(10_000_000_000_000_000_000))
    // 9223372036854775807 rounds to 10^19, past BIGINT.
    #expect(outOfRange(.roundWithFracInt, .int(.max), .int(-19)))
    #expect(outOfRange(.roundWithFracInt, .int(.max), .int(-1)))
    #expect(outOfRange(.roundWithFracInt, .uint(.max), .int(-1)))
    #expect(try call(.roundWithFracInt, .int(5), .null) == .null)
    #expect(try call(.roundWithFracReal, .null, .int(1)) == .null)
  }

  @Test("bit operators work on 64-bit unsigned integers")
  func bitwise() throws {
    #expect(try call(.bitAndSig, .int(29), .int(15)) == .uint(13))
    #expect(try call(.bitOrSig, .int(29), .int(15)) == .uint(31))
    #expect(try call(.bitXorSig, .int(11), .int(3)) == .uint(8))
    #expect(try call(.bitNegSig, .int(0)) == .uint(.max))
    #expect(try call(.bitNegSig, .uint(.max)) == .uint(0))
    #expect(try call(.bitAndSig, .int(-1), .int(1)) == .uint(1))
    #expect(try call(.bitOrSig, .int(-1), .int(0)) == .uint(.max))
    #expect(try call(.leftShift, .int(1), .int(2)) == .uint(4))
    #expect(try call(.leftShift, .int(1), .int(63)) == .uint(1 << 63))
    #expect(try call(.leftShift, .int(1), .int(64)) == .uint(0))
    #expect(try call(.rightShift, .int(4), .int(2)) == .uint(1))
    #expect(try call(.rightShift, .int(-1), .int(63)) == .uint(1))
    #expect(try call(.rightShift, .int(-1), .int(-1)) == .uint(0))
    #expect(try call(.bitOrSig, .float(5.7), .int(0)) == .uint(6))
    #expect(try call(.bitOrSig, .text("12abc"), .int(0)) == .uint(12))
    #expect(try call(.bitAndSig, .null, .int(1)) == .null)
    #expect(try call(.bitNegSig, .null) == .null)
  }
}
