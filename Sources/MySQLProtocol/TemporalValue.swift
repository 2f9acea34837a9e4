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

  /// A binary DATE, DATETIME or TIMESTAMP as text: a length (0, 4, 7 or 11), then the fields
  /// present.
  static func readDateTime(
    _ reader: inout PayloadReader, dateOnly: Bool
  ) throws(MySQLProtocolError) -> String {
    let length = Int(try reader.int1())
    var fields = [0, 0, 0, 0, 0, 0]
    var micros = 0
    if length >= 4 {
      fields[0] = Int(try reader.int2())
      fields[1] = Int(try reader.int1())
      fields[2] = Int(try reader.int1())
    }
    if length >= 7 { for index in 3..<6 { fields[index] = Int(try reader.int1()) } }
    if length >= 11 { micros = Int(try reader.int4()) }
    let date = "\(pad(fields[0], 4))-\(pad(fields[1], 2))-\(pad(fields[2], 2))"
    if dateOnly { return date }
    let time = "\(pad(fields[3], 2)):\(pad(fields[4], 2)):\(pad(fields[5], 2))"
    return "\(date) \(time)" + (micros != 0 ? ".\(pad(micros, 6))" : "")
  }

  /// A binary TIME as text: a length (0, 8 or 12), then the sign, days, hours, minutes,
  /// seconds, microseconds.
  static func readTime(_ reader: inout PayloadReader) throws(MySQLProtocolError) -> String {
    let length = Int(try reader.int1())
    guard length >= 8 else { return "00:00:00" }
    let negative = try reader.int1() == 1
    let hours = Int(try reader.int4()) * 24 + Int(try reader.int1())
    let minutes = Int(try reader.int1())
    let seconds = Int(try reader.int1())
    let micros = length >= 12 ? Int(try reader.int4()) : 0
    return (negative ? "-" : "") + "\(pad(hours, 2)):\(pad(minutes, 2)):\(pad(seconds, 2))"
      + (micros != 0 ? ".\(pad(micros, 6))" : "")
  }

  private static func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
  }
}
