import Foundation
import TinyKVProto

/// A Percolator lock: a prewritten, not yet committed change to one key (`lock` column family),
/// or a pessimistic transaction's claim on a key before its prewrite.
///
/// Two stored forms (`Lock+Format.swift`): the original
/// `kind (1 byte) ++ bigEndian(startTS) ++ varint(ttl) ++ primary`, still written for every lock
/// that needs nothing more, and an extended form for pessimistic locks and locks with a
/// `forUpdateTS`, `minCommitTS` or `txnSize`.
public struct Lock: Hashable, Sendable {
  /// What the locked transaction will do to the key when it commits.
  public enum Kind: UInt8, Sendable {
    case put = 0x50  // "P"
    case delete = 0x44  // "D"
    /// Locks the key without changing it (the transaction read it and needs it unchanged).
    case lock = 0x4C  // "L"
    /// A pessimistic transaction's claim on the key, not yet prewritten: it can't be committed,
    /// never blocks a read and goes away without a trace on a pessimistic rollback.
    case pessimistic = 0x53  // "S"

    /// The record a commit of this lock writes; `nil` for a pessimistic lock, which can't be
    /// committed.
    var writeKind: Write.Kind? {
      switch self {
      case .put: .put
      case .delete: .delete
      case .lock: .lock
      case .pessimistic: nil
      }
    }

    /// The protocol's op for this kind (TinyKV's numbering; see docs/TRANSACTIONS.md).
    var op: Kvrpcpb_Op {
      switch self {
      case .put: .put
      case .delete: .del
      case .lock: .lock
      case .pessimistic: .pessimisticLock
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
  /// The pessimistic transaction's for-update timestamp; 0 for an optimistic transaction.
  public var forUpdateTS: UInt64
  /// No commit below this timestamp (a reader that met the lock may have pushed it); 0: none.
  public var minCommitTS: UInt64
  /// How many keys the transaction writes, as its client said; 0: unknown.
  public var txnSize: UInt64

  public init(
    primary: Data, startTS: UInt64, ttl: UInt64, kind: Kind, forUpdateTS: UInt64 = 0,
    minCommitTS: UInt64 = 0, txnSize: UInt64 = 0
  ) {
    self.primary = primary
    self.startTS = startTS
    self.ttl = ttl
    self.kind = kind
    self.forUpdateTS = forUpdateTS
    self.minCommitTS = minCommitTS
    self.txnSize = txnSize
  }

  /// Whether this is a pessimistic lock (not yet prewritten).
  public var isPessimistic: Bool { kind == .pessimistic }

  /// Whether the lock has outlived its TTL at `currentTS`, comparing physical times only.
  public func isExpired(at currentTS: UInt64) -> Bool {
    let (deadline, overflow) = TSO.physicalMillis(startTS).addingReportingOverflow(ttl)
    return !overflow && TSO.physicalMillis(currentTS) >= deadline
  }

  /// Whether a snapshot read at `readTS` must wait for this lock: the locking transaction
  /// started at or before the read and may commit before it. `.lock` and pessimistic locks never
  /// change the value, so they never block a read, and neither does a lock whose `minCommitTS`
  /// is after the read (it will commit after it).
  func blocksRead(at readTS: UInt64) -> Bool {
    kind != .lock && kind != .pessimistic && startTS <= readTS && minCommitTS <= readTS
  }

  /// The lock as the protocol reports it for `key`.
  public func info(key: Data) -> Kvrpcpb_LockInfo {
    var info = Kvrpcpb_LockInfo()
    info.key = key
    info.primaryLock = primary
    info.lockVersion = startTS
    info.lockTtl = ttl
    info.txnSize = txnSize
    info.lockType = kind.op
    info.lockForUpdateTs = forUpdateTS
    info.minCommitTs = minCommitTS
    return info
  }
}
