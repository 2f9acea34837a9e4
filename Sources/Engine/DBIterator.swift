import CRocksDB
import Foundation

/// A cursor over one column family, in bytewise key order, within optional bounds.
///
/// Starts unpositioned: call one of the `seek` methods first. `key` and `value` copy the current
/// entry out, so they stay valid after the iterator moves. Not thread-safe; released when the
/// last reference goes.
public final class DBIterator {
  private let handle: DatabaseHandle
  private let raw: OpaquePointer
  private let readOptions: OpaquePointer
  /// RocksDB keeps pointers to the bounds, not copies: they live as long as the iterator.
  private let lowerBound: UnsafeMutableRawBufferPointer?
  private let upperBound: UnsafeMutableRawBufferPointer?
  /// The snapshot the iterator reads, kept alive until the iterator is gone.
  private let keepAlive: Snapshot?

  init(
    handle: DatabaseHandle, cf: ColumnFamily, bounds: KeyBounds, snapshot: OpaquePointer?,
    keepAlive: Snapshot? = nil
  ) throws(EngineError) {
    let cfHandle = try handle.handle(cf)
    self.handle = handle
    self.keepAlive = keepAlive
    readOptions = rocksdb_readoptions_create()
    if let snapshot { rocksdb_readoptions_set_snapshot(readOptions, snapshot) }
    lowerBound = bounds.lower.map(Self.copy)
    upperBound = bounds.upper.map(Self.copy)
    if let lowerBound {
      rocksdb_readoptions_set_iterate_lower_bound(
        readOptions, lowerBound.baseAddress?.assumingMemoryBound(to: CChar.self),
        lowerBound.count)
    }
    if let upperBound {
      rocksdb_readoptions_set_iterate_upper_bound(
        readOptions, upperBound.baseAddress?.assumingMemoryBound(to: CChar.self),
        upperBound.count)
    }
    raw = rocksdb_create_iterator_cf(handle.db, readOptions, cfHandle)
  }

  deinit {
    rocksdb_iter_destroy(raw)
    rocksdb_readoptions_destroy(readOptions)
    lowerBound?.deallocate()
    upperBound?.deallocate()
  }

  private static func copy(_ bytes: Data) -> UnsafeMutableRawBufferPointer {
    let buffer = UnsafeMutableRawBufferPointer.allocate(
      byteCount: max(bytes.count, 1), alignment: 1)
    bytes.copyBytes(to: buffer)
    return UnsafeMutableRawBufferPointer(rebasing: buffer[0..<bytes.count])
  }

  /// Whether the iterator is on an entry. False past either end, and after an error.
  public var isValid: Bool { rocksdb_iter_valid(raw) != 0 }

  /// Positions at the first key at or after `key`.
  public func seek(_ key: some ContiguousBytes) {
    key.withUnsafeBytes { rocksdb_iter_seek(raw, $0.cString, $0.count) }
  }

  /// Positions at the last key at or before `key`.
  public func seekForPrev(_ key: some ContiguousBytes) {
    key.withUnsafeBytes { rocksdb_iter_seek_for_prev(raw, $0.cString, $0.count) }
  }

  /// Positions at the first key within the bounds.
  public func seekToFirst() { rocksdb_iter_seek_to_first(raw) }

  /// Positions at the last key within the bounds.
  public func seekToLast() { rocksdb_iter_seek_to_last(raw) }

  /// Moves to the next key. Only valid while `isValid`.
  public func next() {
    precondition(isValid, "DBIterator.next() on an invalid iterator")
    rocksdb_iter_next(raw)
  }

  /// Moves to the previous key. Only valid while `isValid`.
  public func prev() {
    precondition(isValid, "DBIterator.prev() on an invalid iterator")
    rocksdb_iter_prev(raw)
  }

  /// The current key. Only valid while `isValid`.
  public var key: Data {
    var length = 0
    let pointer = rocksdb_iter_key(raw, &length)
    return Data(bytes: pointer!, count: length)
  }

  /// The current value. Only valid while `isValid`.
  public var value: Data {
    var length = 0
    guard let pointer = rocksdb_iter_value(raw, &length) else { return Data() }
    return Data(bytes: pointer, count: length)
  }

  /// The current value's length in bytes, without copying it. Only valid while `isValid`.
  public var valueCount: Int {
    var length = 0
    _ = rocksdb_iter_value(raw, &length)
    return length
  }

  /// Calls `body` with the current key without copying it. The bytes are only valid inside
  /// `body`.
  public func withKey<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
    var length = 0
    let pointer = rocksdb_iter_key(raw, &length)
    return try body(UnsafeRawBufferPointer(start: pointer, count: length))
  }

  /// Throws the error that stopped the iterator, if one did. Call it when `isValid` turns
  /// false to tell the end of the data from a failure.
  public func checkStatus() throws(EngineError) {
    try withRocksDBError("iteration failed") { err in rocksdb_iter_get_error(raw, err) }
  }
}
