import Engine
import Foundation
import TestSupport
import Testing

/// `key` as bytes, for short test literals.
private func b(_ text: String) -> Data { Data(text.utf8) }

@Suite("Database")
struct DatabaseTests {
  @Test("opens a new database with every column family, and reopens it with its data")
  func openCreateReopen() throws {
    let dir = try TemporaryDirectory("engine")
    let path = dir.appending("db")
    do {
      let db = try Database(path: path)
      #expect(db.columnFamilies == Set(ColumnFamily.all))
      let batch = try db.makeWriteBatch()
      for cf in ColumnFamily.all { try batch.put(cf, b("k"), b("v-\(cf)")) }
      try db.write(batch, sync: true)
      db.close()
    }
    let db = try Database(path: path)
    defer { db.close() }
    for cf in ColumnFamily.all { #expect(try db.get(cf, b("k")) == b("v-\(cf)")) }
  }

  @Test("keeps column families apart")
  func columnFamiliesAreSeparate() throws {
    let dir = try TemporaryDirectory("engine")
    let db = try Database(path: dir.path)
    defer { db.close() }
    let batch = try db.makeWriteBatch()
    try batch.put(.default, b("k"), b("d"))
    try batch.put(.lock, b("k"), b("l"))
    try db.write(batch, sync: false)
    #expect(try db.get(.default, b("k")) == b("d"))
    #expect(try db.get(.lock, b("k")) == b("l"))
    #expect(try db.get(.write, b("k")) == nil)
  }

  @Test("applies a batch of puts and deletes across column families at once")
  func batchIsAtomic() throws {
    let dir = try TemporaryDirectory("engine")
    let db = try Database(path: dir.path)
    defer { db.close() }
    let setup = try db.makeWriteBatch()
    try setup.put(.write, b("gone"), b("x"))
    try db.write(setup, sync: true)

    let snapshot = try db.snapshot()
    let batch = try db.makeWriteBatch()
    for i in 0..<100 { try batch.put(.default, b("k\(i)"), b("v\(i)")) }
    try batch.delete(.write, b("gone"))
    #expect(batch.count == 101)
    #expect(batch.byteCount > 0)
    try db.write(batch, sync: true)

    // The snapshot taken before sees none of it; the database sees all of it.
    #expect(try snapshot.get(.default, b("k0")) == nil)
    #expect(try snapshot.get(.write, b("gone")) == b("x"))
    for i in 0..<100 { #expect(try db.get(.default, b("k\(i)")) == b("v\(i)")) }
    #expect(try db.get(.write, b("gone")) == nil)
  }

  @Test("a batch can be cleared and reused")
  func batchClear() throws {
    let dir = try TemporaryDirectory("engine")
    let db = try Database(path: dir.path)
    defer { db.close() }
    let batch = try db.makeWriteBatch()
    try batch.put(.default, b("a"), b("1"))
    batch.clear()
    #expect(batch.count == 0)
    try batch.put(.default, b("b"), b("2"))
    try db.write(batch, sync: false)
    #expect(try db.get(.default, b("a")) == nil)
    #expect(try db.get(.default, b("b")) == b("2"))
  }

  @Test("delete-range removes [start, end) and nothing else")
  func deleteRange() throws {
    let dir = try TemporaryDirectory("engine")
    let db = try Database(path: dir.path)
    defer { db.close() }
    let batch = try db.makeWriteBatch()
    for key in ["a", "b", "c", "d"] { try batch.put(.default, b(key), b(key)) }
    try batch.put(.lock, b("b"), b("other cf"))
    try db.write(batch, sync: false)
    let range = try db.makeWriteBatch()
    try range.deleteRange(.default, from: b("b"), to: b("d"))
    try db.write(range, sync: false)
    #expect(try db.get(.default, b("a")) == b("a"))
    #expect(try db.get(.default, b("b")) == nil)
    #expect(try db.get(.default, b("c")) == nil)
    #expect(try db.get(.default, b("d")) == b("d"))
    #expect(try db.get(.lock, b("b")) == b("other cf"))
  }

  @Test("stores empty values and binary keys")
  func binaryAndEmpty() throws {
    let dir = try TemporaryDirectory("engine")
    let db = try Database(path: dir.path)
    defer { db.close() }
    let key = Data([0, 255, 0, 1])
    let batch = try db.makeWriteBatch()
    try batch.put(.default, key, Data())
    try db.write(batch, sync: false)
    #expect(try db.get(.default, key) == Data())
    #expect(try db.get(.default, Data([0, 255, 0])) == nil)
  }

  @Test("an unknown column family is an error, not a crash")
  func unknownColumnFamily() throws {
    let dir = try TemporaryDirectory("engine")
    let db = try Database(path: dir.path)
    defer { db.close() }
    let error = #expect(throws: EngineError.self) { try db.get(ColumnFamily("nope"), b("k")) }
    #expect(error?.code == .unknownColumnFamily)
    #expect(error?.message.contains("nope") == true)
    let batch = try db.makeWriteBatch()
    #expect(throws: EngineError.self) { try batch.put(ColumnFamily("nope"), b("k"), b("v")) }
  }

  @Test("a second open of the same folder fails with RocksDB's message")
  func lockedByAnotherOpen() throws {
    let dir = try TemporaryDirectory("engine")
    let db = try Database(path: dir.path)
    defer { db.close() }
    let error = #expect(throws: EngineError.self) { try Database(path: dir.path) }
    #expect(error?.code == .rocksDB)
    #expect(error?.message.contains("lock") == true)
  }

  @Test("a folder that cannot be created is a clear error")
  func unusableFolder() throws {
    let dir = try TemporaryDirectory("engine")
    let file = dir.appending("file")
    #expect(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
    let error = #expect(throws: EngineError.self) { try Database(path: file + "/db") }
    #expect(error?.message.contains("\(file) is a file, not a folder") == true)
  }

  @Test("after close, calls throw; snapshots taken before keep working until released")
  func closeIsSafe() throws {
    let dir = try TemporaryDirectory("engine")
    let db = try Database(path: dir.path)
    let batch = try db.makeWriteBatch()
    try batch.put(.default, b("k"), b("v"))
    try db.write(batch, sync: true)
    let snapshot = try db.snapshot()
    db.close()
    db.close()  // idempotent
    #expect(throws: EngineError.self) { try db.get(.default, b("k")) }
    #expect(throws: EngineError.self) { try db.snapshot() }
    #expect(try snapshot.get(.default, b("k")) == b("v"))
    let iterator = try snapshot.iterator(.default)
    iterator.seekToFirst()
    #expect(iterator.isValid && iterator.key == b("k"))
  }

  @Test("flush writes memtables out and keeps the data readable")
  func flushAndProperty() throws {
    let dir = try TemporaryDirectory("engine")
    let db = try Database(path: dir.path)
    defer { db.close() }
    let batch = try db.makeWriteBatch()
    for i in 0..<1000 { try batch.put(.default, b("key\(i)"), b("value\(i)")) }
    try db.write(batch, sync: false)
    try db.flush()
    #expect(try db.get(.default, b("key999")) == b("value999"))
    let estimate = try #require(try db.property("rocksdb.estimate-num-keys"))
    #expect((Int(estimate) ?? 0) > 0)
  }
}
