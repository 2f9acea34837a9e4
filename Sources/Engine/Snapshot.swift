import CRocksDB
import Foundation

/// A consistent read-only view of a database at one moment.
///
/// Every read through a snapshot sees the same state, whatever is written meanwhile. Released
/// when the last reference goes. Thread-safe (RocksDB snapshots are immutable).
public final class Snapshot: @unchecked Sendable {
  private let handle: DatabaseHandle
  private let raw: OpaquePointer
  private let readOptions: OpaquePointer

  init(_ handle: DatabaseHandle) {
    self.handle = handle
    raw = rocksdb_create_snapshot(handle.db)
    readOptions = rocksdb_readoptions_create()
    rocksdb_readoptions_set_snapshot(readOptions, raw)
  }

  deinit {
    rocksdb_readoptions_destroy(readOptions)
    rocksdb_release_snapshot(handle.db, raw)
  }

  /// Reads `key` from `cf` as of the snapshot.
  public func get(_ cf: ColumnFamily, _ key: some ContiguousBytes) throws(EngineError) -> Data? {
    try handle.get(cf, key, readOptions: readOptions)
  }

  /// An iterator over `cf` as of the snapshot, limited to `bounds`.
  public func iterator(
    _ cf: ColumnFamily, bounds: KeyBounds = KeyBounds()
  ) throws(EngineError) -> DBIterator {
    try DBIterator(handle: handle, cf: cf, bounds: bounds, snapshot: raw, keepAlive: self)
  }
}
