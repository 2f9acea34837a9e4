import Coprocessor
import Testing
import TipbProto

/// CAST between integers, reals and strings with MySQL's rules, worked out by hand.
struct CastTests {
  private func cast(
    _ value: Datum, from: ScalarFunction.Kind, to: ScalarFunction.Kind, unsigned: Bool = false
  ) throws -> Datum {
    try Evaluation.evaluate(
      Tipb_Expr.cast(Tipb_Expr.constant(value), from: from, to: to, unsigned: unsigned))
  }

  @Test(
    "a string to SIGNED takes its integer prefix after leading whitespace",
    arguments: [
      ("12abc", 12), ("abc", 0), ("", 0), ("-", 0), ("+7", 7), ("  -12.7xyz", -12),
      ("1.5e2", 1), ("\t\n 42 ", 42), ("-0", 0), ("007", 7),
      ("9223372036854775807", .max), ("-9223372036854775808", .min),
      // Past the 64-bit range: MySQL's -2^63, and 2^64 - 1 read as signed.
      ("-99999999999999999999", .min), ("99999999999999999999", -1),
      ("18446744073709551615", -1),
    ] as [(String, Int64)])
  func stringToSigned(text: String, expected: Int64) throws {
    #expect(try cast(.text(text), from: .string, to: .int) == .int(expected))
  }

  @Test(
    "a string to UNSIGNED: a negative one is the signed value's bits",
    arguments: [
      ("18446744073709551615", .max), ("99999999999999999999", .max), ("-1", .max),
      ("12abc", 12), ("-99999999999999999999", 1 << 63),
    ] as [(String, UInt64)])
  func stringToUnsigned(text: String, expected: UInt64) throws {
    #expect(try cast(.text(text), from: .string, to: .int, unsigned: true) == .uint(expected))
  }

  @Test(
    "a string to DOUBLE takes its numeric prefix",
    arguments: [
      (" 1.5e2x", 150), ("abc", 0), ("12abc", 12), (".5", 0.5), ("-1.", -1), ("1e", 1),
      ("1e+", 1), ("-2.5E-1z", -0.25), ("\t3", 3), ("+.e1", 0),
      ("1e400", .greatestFiniteMagnitude), ("-1e400", -.greatestFiniteMagnitude),
    ] as [(String, Double)])
  func stringToReal(text: String, expected: Double) throws {
    #expect(try cast(.text(text), from: .string, to: .real) == .float(expected))
  }

  @Test(
    "a real to SIGNED rounds half away from zero and saturates",
    arguments: [
      (2.5, 3), (-2.5, -3), (2.4, 2), (-12.7, -13), (0.49999999999999994, 0), (-0.5, -1),
      (1e19, .max), (-1e19, .min), (9.2e18, 9_200_000_000_000_000_000),
    ] as [(Double, Int64)])
  func realToSigned(value: Double, expected: Int64) throws {
    #expect(try cast(.float(value), from: .real, to: .int) == .int(expected))
  }

  @Test("a real to UNSIGNED saturates at 2^64 - 1; a negative one is the signed bits")
  func realToUnsigned() throws {
    #expect(
      try cast(.float(1e19), from: .real, to: .int, unsigned: true)
        == .uint(10_000_000_000_000_000_000))
    #expect(try cast(.float(1e20), from: .real, to: .int, unsigned: true) == .uint(.max))
    #expect(try cast(.float(-1), from: .real, to: .int, unsigned: true) == .uint(.max))
    #expect(try cast(.float(2.5), from: .real, to: .int, unsigned: true) == .uint(3))
  }

  @Test("integers keep their 64 bits, read as the target's signedness")
  func integerToInteger() throws {
    #expect(try cast(.int(-1), from: .int, to: .int, unsigned: true) == .uint(.max))
    #expect(try cast(.uint(.max), from: .int, to: .int) == .int(-1))
    #expect(try cast(.uint(5), from: .int, to: .int) == .int(5))
    #expect(try cast(.int(5), from: .int, to: .int) == .int(5))
  }

  @Test("integers to DOUBLE and to text")
  func integerToRealAndText() throws {
    #expect(try cast(.int(-3), from: .int, to: .real) == .float(-3))
    #expect(try cast(.uint(.max), from: .int, to: .real) == .float(0x1p64))
    #expect(try cast(.int(-42), from: .int, to: .string) == .text("-42"))
    #expect(try cast(.int(.min), from: .int, to: .string) == .text("-9223372036854775808"))
    #expect(try cast(.uint(.max), from: .int, to: .string) == .text("18446744073709551615"))
  }

  @Test(
    "a real prints as MySQL prints a DOUBLE: shortest digits, exponent form past 1e15 and below 1e-15",
    arguments: [
      (1, "1"), (-2.5, "-2.5"), (0.1, "0.1"), (100, "100"), (123.456, "123.456"),
      (1e14, "100000000000000"), (1e15, "1e15"), (1e21, "1e21"),
      (123_456_789_012_345_680, "1.2345678901234568e17"),
      (1_234_567_890_123_456.8, "1234567890123456.8"),
      (1e-5, "0.00001"), (3e-7, "0.0000003"), (1e-15, "0.000000000000001"), (1.5e-16, "1.5e-16"),
      (0, "0"), (.leastNonzeroMagnitude, "5e-324"),
      (.greatestFiniteMagnitude, "1.7976931348623157e308"), (-1e-100, "-1e-100"),
      (0.30000000000000004, "0.30000000000000004"),
    ] as [(Double, String)])
  func realToText(value: Double, expected: String) throws {
    #expect(try cast(.float(value), from: .real, to: .string) == .text(expected))
  }

  @Test("negative zero prints as -0, as MySQL's does")
  func negativeZero() throws {
    // A constant's comparable form makes -0 a 0, so negate a 0 to get it.
    let negativeZero = Tipb_Expr.call(.unaryMinusReal, [Tipb_Expr.constant(.float(0))])
    let text = Tipb_Expr.cast(negativeZero, from: .real, to: .string)
    #expect(try Evaluation.evaluate(text) == .text("-0"))
  }

  @Test("same-type casts keep the value; NULL stays NULL")
  func identityAndNull() throws {
    #expect(try cast(.float(2.5), from: .real, to: .real) == .float(2.5))
    #expect(try cast(.text("héllo"), from: .string, to: .string) == .text("héllo"))
    for from: ScalarFunction.Kind in [.int, .real, .string] {
      for to: ScalarFunction.Kind in [.int, .real, .string] {
        #expect(try cast(.null, from: from, to: to) == .null)
        #expect(try cast(.null, from: from, to: to, unsigned: true) == .null)
      }
    }
  }

  @Test("the unsigned flag travels in the cast's field type")
  func unsignedFlag() throws {
    let pb = Tipb_Expr.cast(Tipb_Expr.constant(.int(-1)), from: .int, to: .int, unsigned: true)
    #expect(pb.sig == .castIntAsInt)
    #expect(pb.fieldType.tp == MySQLType.longlong.rawValue)
    #expect(pb.fieldType.flag & UInt32(MySQLType.unsignedFlag) != 0)
    // The same call without the field type is CAST(x AS SIGNED).
    #expect(try Evaluation.call(.castIntAsInt, .int(-1)) == .int(-1))
    #expect(try Evaluation.evaluate(pb) == .uint(.max))
  }
}
