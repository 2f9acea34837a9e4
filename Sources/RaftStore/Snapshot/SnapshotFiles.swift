import Foundation
import TinyKVProto

/// Names one snapshot of a region: the term and index of the last entry it includes.
public struct SnapshotKey: Hashable, Sendable, CustomStringConvertible {
  /// The region the snapshot is of.
  public var regionID: UInt64
  /// The term of the last entry the snapshot includes.
  public var term: UInt64
  /// The index of the last entry the snapshot includes.
  public var index: UInt64

  /// A key from its parts.
  public init(regionID: UInt64, term: UInt64, index: UInt64) {
    self.regionID = regionID
    self.term = term
    self.index = index
  }

  /// The key of the snapshot a `MsgSnapshot` carries; nil for any other message.
  public init?(message: RaftServerpb_RaftMessage) {
    guard message.message.msgType == .msgSnapshot else { return nil }
    let metadata = message.message.snapshot.metadata
    self.init(regionID: message.regionID, term: metadata.term, index: metadata.index)
  }

  /// `region_term_index`, as in snapshot file names.
  public var description: String { "\(regionID)_\(term)_\(index)" }
}

/// A store's snapshot files as a transport sees them. A `MsgSnapshot` carries only the
/// snapshot's metadata; its data lives in files on the sending store. The transport streams
/// those bytes to the receiving store in bounded chunks, where they are written to files of
/// the receiver's own before the `MsgSnapshot` is delivered to the region's peer.
public protocol SnapshotFiles: Sendable {
  /// Opens the snapshot `key` (generated on this store) for sending.
  /// - Throws: if the snapshot is gone (it was replaced by a newer one or cleaned up); the
  ///   transport then reports the send as failed and Raft asks for a fresh snapshot later.
  func openForSending(_ key: SnapshotKey) throws -> any SnapshotSource
  /// Prepares to receive the snapshot that `message` (a `MsgSnapshot` from another store)
  /// announces.
  func startReceiving(_ message: RaftServerpb_RaftMessage) throws -> any SnapshotSink
}

/// A snapshot's bytes being read for sending, front to back. Used by one task at a time.
public protocol SnapshotSource: AnyObject {
  /// The snapshot's total size in bytes.
  var size: UInt64 { get }
  /// The next at most `maxBytes` bytes (at least one byte), or nil at the end.
  func read(maxBytes: Int) throws -> Data?
}

/// A snapshot's bytes being received, front to back. Used by one task at a time; exactly one
/// of `finish` and `abort` ends it.
public protocol SnapshotSink: AnyObject {
  /// Appends the next chunk.
  func write(_ chunk: Data) throws
  /// Checks what was received against the snapshot's metadata (sizes, checksums) and makes
  /// the snapshot available to the region's peer.
  /// - Throws: if the data is incomplete or corrupt; the partial files are removed.
  func finish() throws
  /// Discards what was received (the stream broke).
  func abort()
}
