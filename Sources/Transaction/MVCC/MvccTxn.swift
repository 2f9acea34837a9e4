import Foundation
import Storage

/// The changes one command makes on behalf of one transaction, collected for a single atomic
/// `Storage.write`.
///
/// Reads go to the snapshot the command started from; they do not see the changes collected
/// here. Later changes to the same stored key win, as in a RocksDB write batch.
public struct MvccTxn<Reader: StorageReader> {
  public let reader: MvccReader<Reader>
  /// The start timestamp of the transaction the changes belong to.
  public let startTS: UInt64
  public private(set) var modifications: [Modification] = []

  public init(reader: MvccReader<Reader>, startTS: UInt64) {
    self.reader = reader
    self.startTS = startTS
  }

  /// Sets the lock on `key`.
  public mutating func putLock(_ key: Data, _ lock: Lock) {
    modifications.append(.put(.lock, key: MvccKey.lockKey(key), value: lock.encoded()))
  }

  /// Removes the lock on `key`.
  public mutating func deleteLock(_ key: Data) {
    modifications.append(.delete(.lock, key: MvccKey.lockKey(key)))
  }

  /// Stages `value` for `key` at this transaction's start timestamp.
  public mutating func putValue(_ key: Data, _ value: Data) {
    modifications.append(.put(.default, key: MvccKey.encode(key, startTS), value: value))
  }

  /// Removes the value staged for `key` at this transaction's start timestamp.
  public mutating func deleteValue(_ key: Data) {
    modifications.append(.delete(.default, key: MvccKey.encode(key, startTS)))
  }

  /// Records `write` for `key` at `commitTS` (a rollback's `commitTS` is its start timestamp).
  public mutating func putWrite(_ key: Data, commitTS: UInt64, _ write: Write) {
    modifications.append(.put(.write, key: MvccKey.encode(key, commitTS), value: write.encoded()))
  }
}
