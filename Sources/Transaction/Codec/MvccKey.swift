import Foundation

/// The keys of a transactional user key in the three column families.
///
/// - `lock`: `memcomparable(userKey)`.
/// - `default` and `write`: `memcomparable(userKey) ++ bigEndian(~ts)`, `ts` being the start ts
///   in `default` and the commit ts in `write`. Inverting the timestamp makes the newest
///   version of a key sort first; the memcomparable prefix keeps different keys' versions apart,
///   even when one user key is a prefix of another.
public enum MvccKey {
  static let timestampCount = 8

  /// The key of `userKey`'s version at `ts` in the `default` or `write` column family.
  public static func encode(_ userKey: Data, _ ts: UInt64) -> Data {
    var out = Data()
    out.reserveCapacity(Memcomparable.encodedCount(userKey.count) + timestampCount)
    Memcomparable.append(userKey, to: &out)
    appendTimestamp(ts, to: &out)
    return out
  }

  /// The key of `userKey` in the `lock` column family.
  public static func lockKey(_ userKey: Data) -> Data { Memcomparable.encode(userKey) }

  /// The user key and timestamp of a versioned key.
  /// - Throws: `TransactionError.corruptRecord` if `key` is not `encode(_:_:)`'s output.
  public static func decode(_ key: Data) throws(TransactionError) -> (userKey: Data, ts: UInt64) {
    let (userKey, consumed) = try Memcomparable.decodePrefix(key)
    guard key.count - consumed == timestampCount else {
      throw .corrupt("versioned key has \(key.count - consumed) bytes after the user key, not 8")
    }
    return (userKey, ~readBigEndian(key, at: key.startIndex + consumed))
  }

  /// The timestamp of a versioned key, without decoding its user key.
  /// - Throws: `TransactionError.corruptRecord` if `key` is too short to hold one.
  static func timestamp(of key: Data) throws(TransactionError) -> UInt64 {
    guard key.count >= Memcomparable.encodedCount(0) + timestampCount else {
      throw .corrupt("versioned key of \(key.count) bytes is too short")
    }
    return ~readBigEndian(key, at: key.endIndex - timestampCount)
  }

  /// The encoded user key (`memcomparable(userKey)`) a versioned key starts with, without
  /// decoding it.
  /// - Throws: `TransactionError.corruptRecord` if `key` has not the length of a versioned key.
  static func encodedUserKey(of key: Data) throws(TransactionError) -> Data {
    let prefixCount = key.count - timestampCount
    guard prefixCount >= Memcomparable.encodedCount(0),
      prefixCount % (Memcomparable.groupSize + 1) == 0
    else {
      throw .corrupt("versioned key of \(key.count) bytes has no valid length")
    }
    return key.prefix(prefixCount)
  }

  /// Bounds that hold exactly the versions of the key whose encoding is `encodedUserKey`.
  static func versionBounds(encodedUserKey: Data) -> (lower: Data, upper: Data) {
    var lower = encodedUserKey
    lower.append(contentsOf: repeatElement(0 as UInt8, count: timestampCount))
    var upper = encodedUserKey
    // The immediate successor of the oldest possible version (ts 0, stored as 0xFF * 8).
    upper.append(contentsOf: repeatElement(0xFF as UInt8, count: timestampCount))
    upper.append(0)
    return (lower, upper)
  }

  static func appendTimestamp(_ ts: UInt64, to out: inout Data) {
    withUnsafeBytes(of: (~ts).bigEndian) { out.append(contentsOf: $0) }
  }

  /// Reads 8 big-endian bytes of `data` starting at `index` (which the caller has checked).
  static func readBigEndian(_ data: Data, at index: Data.Index) -> UInt64 {
    var value: UInt64 = 0
    for byte in data[index..<index + timestampCount] { value = value << 8 | UInt64(byte) }
    return value
  }
}
