import Foundation

/// Reads the fields of a stored record in order, throwing on truncation instead of trapping.
struct ByteReader {
  private let data: Data
  private var offset: Data.Index
  private let record: String

  init(_ data: Data, record: String) {
    self.data = data
    self.offset = data.startIndex
    self.record = record
  }

  var isAtEnd: Bool { offset == data.endIndex }

  mutating func byte() throws(TransactionError) -> UInt8 {
    guard offset < data.endIndex else { throw truncated() }
    defer { offset += 1 }
    return data[offset]
  }

  mutating func bigEndianUInt64() throws(TransactionError) -> UInt64 {
    guard data.endIndex - offset >= 8 else { throw truncated() }
    defer { offset += 8 }
    return MvccKey.readBigEndian(data, at: offset)
  }

  /// An unsigned LEB128 varint of at most 10 bytes.
  mutating func varint() throws(TransactionError) -> UInt64 {
    var value: UInt64 = 0
    var shift: UInt64 = 0
    while true {
      let byte = try self.byte()
      guard shift < 64, shift < 63 || byte <= 1 else {
        throw .corrupt("\(record) record has an overlong varint")
      }
      value |= UInt64(byte & 0x7F) << shift
      if byte & 0x80 == 0 { return value }
      shift += 7
    }
  }

  /// Everything not read yet.
  mutating func rest() -> Data {
    defer { offset = data.endIndex }
    return data[offset...]
  }

  func expectEnd() throws(TransactionError) {
    guard isAtEnd else {
      throw .corrupt("\(record) record has \(data.endIndex - offset) stray bytes")
    }
  }

  private func truncated() -> TransactionError {
    .corrupt("\(record) record of \(data.count) bytes is truncated")
  }
}

extension Data {
  /// Appends `value` as an unsigned LEB128 varint.
  mutating func appendVarint(_ value: UInt64) {
    var value = value
    while value >= 0x80 {
      append(UInt8(truncatingIfNeeded: value) | 0x80)
      value >>= 7
    }
    append(UInt8(value))
  }

  mutating func appendBigEndian(_ value: UInt64) {
    Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
  }
}
