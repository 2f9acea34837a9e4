import Foundation

/// The memcomparable byte encoding (MyRocks' format, as used by TiKV and TinyKV).
///
/// The key is cut into groups of 8 bytes; the last group is padded with zeros, and every group
/// is followed by a marker byte `0xFF - padding`. A key whose length is a multiple of 8 gets one
/// more, fully padded group. The encoding keeps bytewise order (`a < b` exactly when
/// `encode(a) < encode(b)`) and no encoding is a prefix of another, so anything appended to an
/// encoded key (a timestamp) never makes it interleave with another key.
public enum Memcomparable {
  static let groupSize = 8
  static let marker: UInt8 = 0xFF

  /// The length of the encoding of a key of `count` bytes.
  public static func encodedCount(_ count: Int) -> Int {
    (count / groupSize + 1) * (groupSize + 1)
  }

  /// The encoding of `key`.
  public static func encode(_ key: Data) -> Data {
    var out = Data()
    out.reserveCapacity(encodedCount(key.count))
    append(key, to: &out)
    return out
  }

  /// Appends the encoding of `key` to `out`.
  public static func append(_ key: Data, to out: inout Data) {
    var index = key.startIndex
    while true {
      let take = min(key.endIndex - index, groupSize)
      out.append(key[index..<index + take])
      let padding = groupSize - take
      if padding > 0 { out.append(contentsOf: repeatElement(0 as UInt8, count: padding)) }
      out.append(marker - UInt8(padding))
      index += take
      if padding > 0 { return }
    }
  }

  /// Decodes the encoded key at the start of `data`.
  /// - Returns: the key and how many bytes of `data` its encoding took.
  /// - Throws: `TransactionError.corruptRecord` if `data` does not start with a valid encoding.
  public static func decodePrefix(_ data: Data) throws(TransactionError) -> (
    key: Data, consumed: Int
  ) {
    // Over the raw bytes: `Data`'s subscripts and slices cost a call each, and scans decode
    // every key they pass.
    let result = data.withUnsafeBytes {
      bytes -> Result<(key: Data, consumed: Int), TransactionError> in
      var key = Data(capacity: bytes.count)
      var offset = 0
      while true {
        guard bytes.count - offset > groupSize else {
          return .failure(.corrupt("memcomparable key truncated after \(offset) bytes"))
        }
        let padding = Int(marker &- bytes[offset + groupSize])
        guard padding <= groupSize else {
          return .failure(.corrupt("memcomparable key has a bad group marker"))
        }
        let used = groupSize - padding
        key.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + used]))
        for index in offset + used..<offset + groupSize where bytes[index] != 0 {
          return .failure(.corrupt("memcomparable key has non-zero padding"))
        }
        offset += groupSize + 1
        if padding > 0 { return .success((key, offset)) }
      }
    }
    return try result.get()
  }

  /// Decodes `data`, which must be exactly one encoded key.
  /// - Throws: `TransactionError.corruptRecord` if it is not.
  public static func decode(_ data: Data) throws(TransactionError) -> Data {
    let (key, consumed) = try decodePrefix(data)
    guard consumed == data.count else {
      throw .corrupt("memcomparable key followed by \(data.count - consumed) stray bytes")
    }
    return key
  }
}
