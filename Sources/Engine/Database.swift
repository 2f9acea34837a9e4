import CRocksDB
import Foundation
import Synchronization

/// A RocksDB database with column families.
///
/// Thread-safe: reads, writes, snapshots and iterators may be used from any thread. Reads and
/// writes are blocking calls: keep them off NIO event loops.
///
/// `close()` makes every later call throw `EngineError.closed`; RocksDB itself is closed as soon
/// as the last snapshot, iterator and write batch made from it are released (they keep it alive,
/// so none of them can ever touch a closed handle).
public final class Database: Sendable {
  private let state: Mutex<DatabaseHandle?>
  /// The folder the database lives in.
  public let path: String
  /// The column families the database was opened with.
  public let columnFamilies: Set<ColumnFamily>

  /// Opens the database at `path`, creating it (and missing column families) if allowed.
  /// - Throws: `EngineError.rocksDB` with RocksDB's message (a held lock, a folder that cannot
  ///   be created or written, corruption).
  public init(path: String, options: DatabaseOptions = DatabaseOptions()) throws(EngineError) {
    if options.createIfMissing {
      do {
        try FileManager.default.createDirectory(
          atPath: path, withIntermediateDirectories: true)
      } catch {
        throw EngineError(
          code: .invalidArgument,
          message: "cannot create folder \(path): \(Self.whyNotCreatable(path))")
      }
    }
    let handle = try DatabaseHandle(path: path, options: options)
    state = Mutex(handle)
    self.path = path
    columnFamilies = Set(handle.columnFamilyNames.map(ColumnFamily.init))
  }

  /// A plain reason why `path` cannot be created, found from its nearest existing ancestor
  /// (Foundation's own error says only "error 512").
  private static func whyNotCreatable(_ path: String) -> String {
    var ancestor = URL(fileURLWithPath: path).deletingLastPathComponent()
    while ancestor.path != "/" && !FileManager.default.fileExists(atPath: ancestor.path) {
      ancestor = ancestor.deletingLastPathComponent()
    }
    var isFolder: ObjCBool = false
    _ = FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isFolder)
    if !isFolder.boolValue { return "\(ancestor.path) is a file, not a folder" }
    if !FileManager.default.isWritableFile(atPath: ancestor.path) {
      return "no permission to write in \(ancestor.path)"
    }
    return "the file system refused it"
  }

  /// The open handle, retained for the duration of one operation.
  @inline(__always)
  func open() throws(EngineError) -> DatabaseHandle {
    guard let handle = state.withLock({ $0 }) else {
      throw EngineError(code: .closed, message: "database at \(path) is closed")
    }
    return handle
  }

  /// Reads `key` from `cf` at the latest state.
  /// - Returns: the value, or `nil` if the key has none.
  public func get(_ cf: ColumnFamily, _ key: some ContiguousBytes) throws(EngineError) -> Data? {
    let handle = try open()
    return try handle.get(cf, key, readOptions: handle.readOptions)
  }

  /// Starts an empty batch of writes against this database.
  public func makeWriteBatch() throws(EngineError) -> WriteBatch {
    WriteBatch(try open())
  }

  /// Applies `batch` atomically: all of its writes or none.
  /// - Parameter sync: when true, returns only after the write-ahead log is on disk (fsync).
  public func write(_ batch: WriteBatch, sync: Bool) throws(EngineError) {
    let handle = try open()
    try withRocksDBError("write failed") { err in
      rocksdb_write(
        handle.db, sync ? handle.syncWriteOptions : handle.writeOptions, batch.raw, err)
    }
  }

  /// A consistent, read-only view of the database as it is now.
  public func snapshot() throws(EngineError) -> Snapshot {
    Snapshot(try open())
  }

  /// An iterator over `cf` at the latest state, limited to `bounds`.
  public func iterator(
    _ cf: ColumnFamily, bounds: KeyBounds = KeyBounds()
  ) throws(EngineError) -> DBIterator {
    try DBIterator(handle: try open(), cf: cf, bounds: bounds, snapshot: nil)
  }

  /// Forces the memtables of every column family to disk (SST files). Mostly for tests and
  /// shutdown; durability comes from the write-ahead log.
  public func flush() throws(EngineError) {
    let handle = try open()
    let options = rocksdb_flushoptions_create()
    defer { rocksdb_flushoptions_destroy(options) }
    rocksdb_flushoptions_set_wait(options, 1)
    try withRocksDBError("flush failed") { err in rocksdb_flush(handle.db, options, err) }
  }

  /// A RocksDB property such as `rocksdb.estimate-num-keys` or `rocksdb.stats`.
  public func property(_ name: String) throws(EngineError) -> String? {
    let handle = try open()
    guard let value = rocksdb_property_value(handle.db, name) else { return nil }
    defer { rocksdb_free(value) }
    return String(cString: value)
  }

  /// Stops accepting calls and closes RocksDB once nothing made from it is left.
  /// Idempotent.
  public func close() {
    state.withLock { $0 = nil }
  }
}

extension DatabaseHandle {
  func get(
    _ cf: ColumnFamily, _ key: some ContiguousBytes, readOptions: OpaquePointer
  ) throws(EngineError) -> Data? {
    let cfHandle = try handle(cf)
    var length = 0
    let value = try withRocksDBError("read failed") { err in
      key.withUnsafeBytes { key in
        rocksdb_get_cf(
          db, readOptions, cfHandle, key.baseAddress?.assumingMemoryBound(to: CChar.self),
          key.count, &length, err)
      }
    }
    guard let value else { return nil }
    return Data(
      bytesNoCopy: value, count: length, deallocator: .custom { ptr, _ in rocksdb_free(ptr) })
  }
}
