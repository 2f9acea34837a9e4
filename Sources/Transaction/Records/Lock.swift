import Foundation
import TinyKVProto

/// A Percolator lock: a prewritten, not yet committed change to one key (`lock` column family).
///
/// Stored as `kind (1 byte) ++ bigEndian(startTS) ++ varint(ttl) ++ primary`.
public struct Lock: Hashable, Sendable {
  /// What the locked transaction will do to the key when it commits.
  public enum Kind: UInt8, Sendable {
    case put = 0x50  // "P"
    case delete = 0x44  // "D"
    /// Locks the key without changing it (the transaction read it and needs it unchanged).
    case lock = 0x4C  // "L"

    /// The record a commit of this lock writes.
    var writeKind: Write.Kind {
      switch self {
      case .put: .put
      case .delete: .delete
      case .lock: .lock
      }
    }
  }

  /// The transaction's primary key: its lock (or its commit record) decides the transaction.
  public var primary: Data
  /// The transaction's start timestamp.
  public var startTS: UInt64
  /// How long the lock lives, in milliseconds after `startTS`'s physical time.
  public var ttl: UInt64
  public var kind: Kind

  public init(primary: Data, startTS: UInt64, ttl: UInt64, kind: Kind) {
    self.primary = primary
    self.startTS = startTS
    self.ttl = ttl
    self.kind = kind
  }

  /// The stored form.
  public func encoded() -> Data {
    var out = Data()
    out.reserveCapacity(1 + 8 + 10 + primary.count)
    out.append(kind.rawValue)
    out.appendBigEndian(startTS)
    out.appendVarint(ttl)
    out.append(primary)
    return out
  }

  /// Decodes a stored lock.
  /// - Throws: `TransactionError.corruptRecord` if `data` is not a lock's stored form.
  public init(decoding data: Data) throws(TransactionError) {
    var reader = ByteReader(data, record: "lock")
    let rawKind = try reader.byte()
    guard let kind = Kind(rawValue: rawKind) else {
      throw .corrupt("lock record has unknown kind \(rawKind)")
    }
    self.kind = kind
    startTS = try reader.bigEndianUInt64()
    ttl = try reader.varint()
    primary = reader.rest()
  }

  /// Whether the lock has outlived its TTL at `currentTS`, comparing physical times only.
  public func isExpired(at currentTS: UInt64) -> Bool {
    let (deadline, overflow) = TSO.physicalMillis(startTS).addingReportingOverflow(ttl)
    return !overflow && TSO.physicalMillis(currentTS) >= deadline
  }

  /// Whether a snapshot read at `readTS` must wait for this lock: the locking transaction
  /// started at or before the read and may commit before it. `.lock` locks never change the
  /// value, so they never block a read.
  func blocksRead(at readTS: UInt64) -> Bool {
    kind != .lock && startTS <= readTS
  }

  /// The lock as the protocol reports it for `key`.
  func info(key: Data) -> Kvrpcpb_LockInfo {
    var info = Kvrpcpb_LockInfo()
    info.key = key
    info.primaryLock = primary
    info.lockVersion = startTS
    info.lockTtl = ttl
    return info
  }
}
