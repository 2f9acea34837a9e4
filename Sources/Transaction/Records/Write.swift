import Foundation

/// A record in the `write` column family, keyed by the commit timestamp: what a transaction did
/// to a key (put, delete, lock only) or that it was rolled back.
///
/// Stored as `kind (1 byte) ++ bigEndian(startTS)`.
public struct Write: Hashable, Sendable {
  public enum Kind: UInt8, Sendable {
    case put = 0x50  // "P"
    case delete = 0x44  // "D"
    /// The transaction only locked the key; the value is unchanged.
    case lock = 0x4C  // "L"
    /// The transaction was rolled back (stored at `startTS`, so a late prewrite is refused).
    case rollback = 0x52  // "R"
  }

  /// The start timestamp of the transaction that wrote the record; a put's value is in the
  /// `default` column family under this timestamp.
  public var startTS: UInt64
  public var kind: Kind

  public init(startTS: UInt64, kind: Kind) {
    self.startTS = startTS
    self.kind = kind
  }

  static let encodedCount = 9

  /// The stored form.
  public func encoded() -> Data {
    var out = Data()
    out.reserveCapacity(Self.encodedCount)
    out.append(kind.rawValue)
    out.appendBigEndian(startTS)
    return out
  }

  /// Decodes a stored write record.
  /// - Throws: `TransactionError.corruptRecord` if `data` is not a write record's stored form.
  public init(decoding data: Data) throws(TransactionError) {
    var reader = ByteReader(data, record: "write")
    let rawKind = try reader.byte()
    guard let kind = Kind(rawValue: rawKind) else {
      throw .corrupt("write record has unknown kind \(rawKind)")
    }
    self.kind = kind
    startTS = try reader.bigEndianUInt64()
    try reader.expectEnd()
  }
}
