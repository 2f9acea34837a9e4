extension DatabaseOptions {
  /// Small caches and memtables (1 MiB block cache, 4 MiB memtables) and one background
  /// thread: for tests, benchmarks of many stores in one process, and tools, which must bound
  /// their memory.
  public static func small(_ columnFamilies: [ColumnFamily] = ColumnFamily.all) -> DatabaseOptions {
    var options = DatabaseOptions()
    options.columnFamilies = columnFamilies
    options.blockCacheBytes = 1 << 20
    options.writeBufferBytes = 4 << 20
    options.backgroundThreads = 1
    return options
  }
}
