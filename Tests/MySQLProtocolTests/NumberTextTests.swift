import MySQLProtocol
import SQLText
import Testing

/// Doubles and floats in text results, as MySQL 8 prints them (`my_gcvt`).
struct NumberTextTests {
  @Test(
    "DOUBLE: the shortest round-trip digits, plain from 1e-15 to 1e15, else the exponent form",
    arguments: [
      (1.0, "1"), (0.1, "0.1"), (-2.5, "-2.5"), (100.0, "100"), (0.0, "0"), (-0.0, "-0"),
      (1e14, "100000000000000"), (1e15, "1e15"), (1e20, "1e20"), (123e18, "1.23e20"),
      (1.2345678901234568e20, "1.2345678901234568e20"),
      (1234567890123456.7, "1234567890123456.8"), (1.5e-7, "0.00000015"),
      (1e-15, "0.000000000000001"), (1e-16, "1e-16"), (2.5e-300, "2.5e-300"),
      (1.7976931348623157e308, "1.7976931348623157e308"), (Double.leastNonzeroMagnitude, "5e-324"),
      (0.1 + 0.2, "0.30000000000000004"), (1.0 / 3, "0.3333333333333333"),
      (-1e100, "-1e100"), (Double.infinity, "0"), (Double.nan, "0"),
    ])
  func double(_ value: Double, _ text: String) {
    #expect(NumberText.double(value) == text)
  }

  @Test(
    "FLOAT: 6 significant digits at most",
    arguments: [
      (0.1, "0.1"), (1.1, "1.1"), (16_777_217.0, "16777200"), (3.14159265, "3.14159"),
      (9.9999999, "10"), (1e20, "1e20"), (-0.5, "-0.5"), (0.0, "0"),
    ])
  func float(_ value: Double, _ text: String) {
    #expect(NumberText.float(value) == text)
  }

  @Test("a value's text by its column's type")
  func text() {
    #expect(BinaryValue.double(0.1).text(as: .double) == Array("0.1".utf8))
    #expect(BinaryValue.double(Double(Float(0.1))).text(as: .float) == Array("0.1".utf8))
    #expect(BinaryValue.int(-3).text(as: .varString) == Array("-3".utf8))
    #expect(BinaryValue.null.text(as: .long) == nil)
    #expect(BinaryValue.bytes([0, 0xFF]).text(as: .blob) == [0, 0xFF])
  }
}
