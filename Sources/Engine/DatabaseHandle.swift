import CRocksDB
import Foundation

/// Owns an open `rocksdb_t` and its column family handles; closes them when the last owner
/// lets go.
///
/// `Database`, and every `Snapshot`, `DBIterator` and `WriteBatch` made from it, hold one
/// strong reference, so RocksDB is closed only after the last of them is gone: nothing can use
/// a freed handle. RocksDB's handles are thread-safe, hence the `@unchecked Sendable`; the
/// stored properties never change after `init`.
final class DatabaseHandle: @unchecked Sendable {
  let db: OpaquePointer
  let path: String
  private let options: NativeOptions
  private let columnFamilies: [String: OpaquePointer]
  let writeOptions: OpaquePointer
  let syncWriteOptions: OpaquePointer
  let readOptions: OpaquePointer

  init(path: String, options: DatabaseOptions) throws(EngineError) {
    let native = NativeOptions(options)
    var names = options.columnFamilies.map(\.name)
    if !names.contains(ColumnFamily.default.name) { names.insert(ColumnFamily.default.name, at: 0) }
    var handles = [OpaquePointer?](repeating: nil, count: names.count)
    let cfOptions = [OpaquePointer?](repeating: native.db, count: names.count)

    let cNames = names.map { strdup($0) }
    defer { cNames.forEach { free($0) } }
    let opened = try withRocksDBError("cannot open database at \(path)") { err in
      cNames.map { UnsafePointer($0) }.withUnsafeBufferPointer { namePtrs in
        cfOptions.withUnsafeBufferPointer { optPtrs in
          handles.withUnsafeMutableBufferPointer { handlePtrs in
            rocksdb_open_column_families(
              native.db, path, Int32(names.count), namePtrs.baseAddress, optPtrs.baseAddress,
              handlePtrs.baseAddress, err)
          }
        }
      }
    }
    guard let opened else {
      throw EngineError(code: .rocksDB, message: "cannot open database at \(path)")
    }
    db = opened
    self.path = path
    self.options = native
    var byName: [String: OpaquePointer] = [:]
    for (name, handle) in zip(names, handles) { byName[name] = handle }
    columnFamilies = byName
    writeOptions = rocksdb_writeoptions_create()
    syncWriteOptions = rocksdb_writeoptions_create()
    rocksdb_writeoptions_set_sync(syncWriteOptions, 1)
    readOptions = rocksdb_readoptions_create()
  }

  /// The handle of `cf`.
  /// - Throws: `EngineError.unknownColumnFamily` if the database was not opened with it.
  @inline(__always)
  func handle(_ cf: ColumnFamily) throws(EngineError) -> OpaquePointer {
    guard let handle = columnFamilies[cf.name] else {
      throw EngineError(
        code: .unknownColumnFamily,
        message: "unknown column family \"\(cf.name)\"")
    }
    return handle
  }

  var columnFamilyNames: [String] { columnFamilies.keys.sorted() }

  deinit {
    rocksdb_readoptions_destroy(readOptions)
    rocksdb_writeoptions_destroy(writeOptions)
    rocksdb_writeoptions_destroy(syncWriteOptions)
    for handle in columnFamilies.values { rocksdb_column_family_handle_destroy(handle) }
    rocksdb_close(db)
  }
}
