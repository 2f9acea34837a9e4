/// Dates and times in binary result rows, from the text a value holds: the binary protocol
/// sends them as a length byte and the fields that are not zero.
enum TemporalValue {
  /// DATE, DATETIME or TIMESTAMP from `YYYY-MM-DD[ HH:MM:SS[.ffffff]]`: length 0 (all zero), 4
  /// (the date), 7 (and the time) or 11 (and microseconds); a DATE stops at the date. Text that
  /// is not a date reads as the zero date.
  static func binaryDateTime(_ text: [UInt8], dateOnly: Bool) -> [UInt8] {
    let (fields, micros) = parse(text)
    guard fields.count >= 3 else { return [0] }
    let time = dateOnly ? [0, 0, 0] : Array((fields.dropFirst(3) + [0, 0, 0]).prefix(3))
    let micro = dateOnly ? 0 : micros
    var writer = PayloadWriter()
    writer.int2(UInt16(truncatingIfNeeded: fields[0]))
    writer.int1(UInt8(truncatingIfNeeded: fields[1]))
    writer.int1(UInt8(truncatingIfNeeded: fields[2]))
    for field in time { writer.int1(UInt8(truncatingIfNeeded: field)) }
    writer.int4(UInt32(micro))
    let length =
      micro != 0 ? 11 : time != [0, 0, 0] ? 7 : fields.prefix(3).contains { $0 != 0 } ? 4 : 0
    return [UInt8(length)] + writer.bytes.prefix(length)
  }

  /// TIME from `[-]HHH:MM:SS[.ffffff]`: length 0 (zero), 8 (sign, days, hours, minutes,
  /// seconds) or 12 (and microseconds). Text that is not a time reads as zero.
  static func binaryTime(_ text: [UInt8]) -> [UInt8] {
    let (fields, micros) = parse(text)
    guard fields.count >= 3 else { return [0] }
    var writer = PayloadWriter()
    writer.int1(text.first == UInt8(ascii: "-") ? 1 : 0)
    writer.int4(UInt32(truncatingIfNeeded: fields[0] / 24))
    writer.int1(UInt8(truncatingIfNeeded: fields[0] % 24))
    writer.int1(UInt8(truncatingIfNeeded: fields[1]))
    writer.int1(UInt8(truncatingIfNeeded: fields[2]))
    writer.int4(UInt32(micros))
    let length = micros != 0 ? 12 : fields.prefix(3).contains { $0 != 0 } ? 8 : 0
    return [UInt8(length)] + writer.bytes.prefix(length)
  }

  /// The runs of digits before a `.` and the microseconds after it (`.5` is 500000).
  private static func parse(_ text: [UInt8]) -> (fields: [Int], micros: Int) {
    let dot = text.firstIndex(of: UInt8(ascii: "."))
    let whole = text[..<(dot ?? text.endIndex)]
    let fields = whole.split { !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
      .map { $0.prefix(9).reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) } }
    var micros = 0
    if let dot {
      let digits = text[(dot + 1)...].prefix {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
      }
      let six = Array(digits.prefix(6)) + [UInt8](repeating: UInt8(ascii: "0"), count: 6)
      micros = six.prefix(6).reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }
    return (fields, micros)
  }
}
