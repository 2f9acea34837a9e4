import Foundation

/// The stored forms of a lock.
///
/// - Original (every lock written before pessimistic transactions, and every lock since that
///   has no pessimistic kind and zero `forUpdateTS`, `minCommitTS` and `txnSize`):
///   `kind (1 byte: P, D, L) ++ bigEndian(startTS) ++ varint(ttl) ++ primary`.
/// - Extended: `'+' ++ kind (1 byte: P, D, L, S) ++ bigEndian(startTS) ++ varint(ttl) ++
///   varint(forUpdateTS) ++ varint(minCommitTS) ++ varint(txnSize) ++ primary`.
///
/// The marker `+` (0x2B) is no kind, so the first byte tells the forms apart and records already
/// on disk decode as before.
extension Lock {
  static let extendedMarker: UInt8 = 0x2B  // "+"

  /// Whether the original form can hold this lock.
  private var fitsOriginalForm: Bool {
    kind != .pessimistic && forUpdateTS == 0 && minCommitTS == 0 && txnSize == 0
  }

  /// The stored form.
  public func encoded() -> Data {
    var out = Data()
    out.reserveCapacity(2 + 8 + 40 + primary.count)
    let extended = !fitsOriginalForm
    if extended { out.append(Self.extendedMarker) }
    out.append(kind.rawValue)
    out.appendBigEndian(startTS)
    out.appendVarint(ttl)
    if extended {
      out.appendVarint(forUpdateTS)
      out.appendVarint(minCommitTS)
      out.appendVarint(txnSize)
    }
    out.append(primary)
    return out
  }

  /// Decodes a stored lock, in either form.
  /// - Throws: `TransactionError.corruptRecord` if `data` is not a lock's stored form.
  public init(decoding data: Data) throws(TransactionError) {
    var reader = ByteReader(data, record: "lock")
    var rawKind = try reader.byte()
    let extended = rawKind == Self.extendedMarker
    if extended { rawKind = try reader.byte() }
    guard let kind = Kind(rawValue: rawKind), extended || kind != .pessimistic else {
      throw .corrupt("lock record has unknown kind \(rawKind)")
    }
    let startTS = try reader.bigEndianUInt64()
    let ttl = try reader.varint()
    var forUpdateTS: UInt64 = 0
    var minCommitTS: UInt64 = 0
    var txnSize: UInt64 = 0
    if extended {
      forUpdateTS = try reader.varint()
      minCommitTS = try reader.varint()
      txnSize = try reader.varint()
    }
    self.init(
      primary: reader.rest(), startTS: startTS, ttl: ttl, kind: kind, forUpdateTS: forUpdateTS,
      minCommitTS: minCommitTS, txnSize: txnSize)
  }
}
