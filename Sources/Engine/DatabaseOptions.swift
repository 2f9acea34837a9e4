import CRocksDB

/// How to open a database. The defaults suit a store on a small machine.
public struct DatabaseOptions: Sendable {
  /// Column families to open (created if missing). `default` is always opened.
  public var columnFamilies: [ColumnFamily] = ColumnFamily.all
  /// Create the folder and the database if they do not exist.
  public var createIfMissing = true
  /// Size of the shared LRU block cache, in bytes.
  public var blockCacheBytes = 64 << 20
  /// Size of each memtable, in bytes.
  public var writeBufferBytes = 32 << 20
  /// Background threads for flushes and compactions.
  public var backgroundThreads = 2

  public init() {}
}

/// The RocksDB option handles for one open database, released together.
final class NativeOptions {
  let db: OpaquePointer
  let table: OpaquePointer
  let cache: OpaquePointer

  init(_ options: DatabaseOptions) {
    db = rocksdb_options_create()
    rocksdb_options_set_create_if_missing(db, options.createIfMissing ? 1 : 0)
    rocksdb_options_set_create_missing_column_families(db, 1)
    rocksdb_options_increase_parallelism(db, Int32(max(1, options.backgroundThreads)))
    rocksdb_options_set_write_buffer_size(db, options.writeBufferBytes)
    cache = rocksdb_cache_create_lru(options.blockCacheBytes)
    table = rocksdb_block_based_options_create()
    rocksdb_block_based_options_set_block_cache(table, cache)
    rocksdb_block_based_options_set_cache_index_and_filter_blocks(table, 1)
    rocksdb_options_set_block_based_table_factory(db, table)
  }

  deinit {
    rocksdb_options_destroy(db)
    rocksdb_block_based_options_destroy(table)
    rocksdb_cache_destroy(cache)
  }
}
