import Engine

extension DatabaseOptions {
  /// Small caches and memtables, one background thread: tests bound their memory.
  static func small(_ columnFamilies: [ColumnFamily] = ColumnFamily.all) -> DatabaseOptions {
    var options = DatabaseOptions()
    options.columnFamilies = columnFamilies
    options.blockCacheBytes = 1 << 20
    options.writeBufferBytes = 4 << 20
    options.backgroundThreads = 1
    return options
  }
}
