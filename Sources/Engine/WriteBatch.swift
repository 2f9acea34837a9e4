import CRocksDB
import Foundation

/// Writes collected for one atomic `Database.write`.
///
/// Not thread-safe: build a batch on one thread, then hand it to `write`.
public final class WriteBatch {
  let raw: OpaquePointer
  private let handle: DatabaseHandle

  init(_ handle: DatabaseHandle) {
    self.handle = handle
    raw = rocksdb_writebatch_create()
  }

  deinit { rocksdb_writebatch_destroy(raw) }

  /// Sets `key` to `value` in `cf`.
  public func put(
    _ cf: ColumnFamily, _ key: some ContiguousBytes, _ value: some ContiguousBytes
  ) throws(EngineError) {
    let cfHandle = try handle.handle(cf)
    key.withUnsafeBytes { key in
      value.withUnsafeBytes { value in
        rocksdb_writebatch_put_cf(
          raw, cfHandle, key.cString, key.count, value.cString, value.count)
      }
    }
  }

  /// Removes `key` from `cf`.
  public func delete(_ cf: ColumnFamily, _ key: some ContiguousBytes) throws(EngineError) {
    let cfHandle = try handle.handle(cf)
    key.withUnsafeBytes { key in
      rocksdb_writebatch_delete_cf(raw, cfHandle, key.cString, key.count)
    }
  }

  /// Removes every key in `[start, end)` from `cf`.
  public func deleteRange(
    _ cf: ColumnFamily, from start: some ContiguousBytes, to end: some ContiguousBytes
  ) throws(EngineError) {
    let cfHandle = try handle.handle(cf)
    start.withUnsafeBytes { start in
      end.withUnsafeBytes { end in
        rocksdb_writebatch_delete_range_cf(
          raw, cfHandle, start.cString, start.count, end.cString, end.count)
      }
    }
  }

  /// How many writes the batch holds.
  public var count: Int { Int(rocksdb_writebatch_count(raw)) }

  /// The size of the batch's encoded form, in bytes.
  public var byteCount: Int {
    var size = 0
    _ = rocksdb_writebatch_data(raw, &size)
    return size
  }

  /// Empties the batch so that it can be reused.
  public func clear() { rocksdb_writebatch_clear(raw) }
}

extension UnsafeRawBufferPointer {
  /// The bytes as RocksDB's `const char*` (nil for an empty buffer, which RocksDB accepts with a
  /// length of zero).
  @inline(__always)
  var cString: UnsafePointer<CChar>? { baseAddress?.assumingMemoryBound(to: CChar.self) }
}
