import Engine
import Foundation
import TestSupport
import Testing

private func b(_ text: String) -> Data { Data(text.utf8) }

@Suite("DBIterator")
struct IteratorTests {
  /// A database with keys a, b, c, d, e in `default`, and one key in `lock`.
  private func fixture() throws -> (TemporaryDirectory, Database) {
    let dir = try TemporaryDirectory("iter")
    let db = try Database(path: dir.path)
    let batch = try db.makeWriteBatch()
    for key in ["a", "b", "c", "d", "e"] { try batch.put(.default, b(key), b(key.uppercased())) }
    try batch.put(.lock, b("bb"), b("lock"))
    try db.write(batch, sync: false)
    return (dir, db)
  }

  private func keys(_ iterator: DBIterator, forward: Bool = true) -> [String] {
    var out: [String] = []
    while iterator.isValid {
      out.append(String(decoding: iterator.key, as: UTF8.self))
      if forward { iterator.next() } else { iterator.prev() }
    }
    return out
  }

  @Test("walks forward and backward in key order")
  func forwardAndBackward() throws {
    let (_, db) = try fixture()
    defer { db.close() }
    let iterator = try db.iterator(.default)
    iterator.seekToFirst()
    #expect(keys(iterator) == ["a", "b", "c", "d", "e"])
    try iterator.checkStatus()
    iterator.seekToLast()
    #expect(keys(iterator, forward: false) == ["e", "d", "c", "b", "a"])
  }

  @Test("seek finds the first key at or after; seekForPrev the last at or before")
  func seeks() throws {
    let (_, db) = try fixture()
    defer { db.close() }
    let iterator = try db.iterator(.default)
    iterator.seek(b("bb"))
    #expect(iterator.isValid && iterator.key == b("c") && iterator.value == b("C"))
    iterator.seekForPrev(b("bb"))
    #expect(iterator.isValid && iterator.key == b("b"))
    iterator.seek(b("z"))
    #expect(!iterator.isValid)
  }

  @Test("bounds limit the walk: lower inclusive, upper exclusive")
  func bounds() throws {
    let (_, db) = try fixture()
    defer { db.close() }
    let iterator = try db.iterator(.default, bounds: KeyBounds(lower: b("b"), upper: b("d")))
    iterator.seekToFirst()
    #expect(keys(iterator) == ["b", "c"])
    iterator.seekToLast()
    #expect(keys(iterator, forward: false) == ["c", "b"])
    iterator.seek(b("a"))
    #expect(iterator.isValid && iterator.key == b("b"))
  }

  @Test("an iterator on a snapshot ignores later writes")
  func snapshotIsolation() throws {
    let (_, db) = try fixture()
    defer { db.close() }
    let snapshot = try db.snapshot()
    let batch = try db.makeWriteBatch()
    try batch.delete(.default, b("c"))
    try batch.put(.default, b("cc"), b("new"))
    try db.write(batch, sync: false)
    let old = try snapshot.iterator(.default)
    old.seekToFirst()
    #expect(keys(old) == ["a", "b", "c", "d", "e"])
    let new = try db.iterator(.default)
    new.seekToFirst()
    #expect(keys(new) == ["a", "b", "cc", "d", "e"])
  }

  @Test("column families are iterated separately")
  func perColumnFamily() throws {
    let (_, db) = try fixture()
    defer { db.close() }
    let iterator = try db.iterator(.lock)
    iterator.seekToFirst()
    #expect(keys(iterator) == ["bb"])
    let write = try db.iterator(.write)
    write.seekToFirst()
    #expect(!write.isValid)
  }

  @Test("withKey lends the current key without copying")
  func borrowKey() throws {
    let (_, db) = try fixture()
    defer { db.close() }
    let iterator = try db.iterator(.default)
    iterator.seek(b("d"))
    let first = iterator.withKey { $0.first }
    #expect(first == UInt8(ascii: "d"))
  }
}
