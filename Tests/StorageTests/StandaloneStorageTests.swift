import Engine
import Foundation
import Storage
import TestSupport
import Testing
import TinyKVProto

private func b(_ text: String) -> Data { Data(text.utf8) }

@Suite("StandaloneStorage")
struct StandaloneStorageTests {
  let context = Kvrpcpb_Context()

  @Test("a write across column families is atomic and readable")
  func writeAndRead() async throws {
    let dir = try TemporaryDirectory("storage")
    let storage = try StandaloneStorage(path: dir.path)
    defer { storage.close() }
    try await storage.write(
      context,
      [
        .put(.default, key: b("k"), value: b("data")),
        .put(.lock, key: b("k"), value: b("lock")),
        .put(.write, key: b("k"), value: b("write")),
      ])
    let reader = try await storage.reader(context)
    #expect(try reader.get(.default, b("k")) == b("data"))
    #expect(try reader.get(.lock, b("k")) == b("lock"))
    #expect(try reader.get(.write, b("k")) == b("write"))
    try await storage.write(context, [.delete(.lock, key: b("k"))])
    #expect(try reader.get(.lock, b("k")) == b("lock"), "the old reader keeps its snapshot")
    #expect(try await storage.reader(context).get(.lock, b("k")) == nil)
  }

  @Test("a reader sees one snapshot for gets and iterators alike")
  func readerSnapshot() async throws {
    let dir = try TemporaryDirectory("storage")
    let storage = try StandaloneStorage(path: dir.path)
    defer { storage.close() }
    try await storage.write(
      context, (1...3).map { .put(.default, key: b("k\($0)"), value: b("v")) })
    let reader = try await storage.reader(context)
    try await storage.write(context, [.put(.default, key: b("k4"), value: b("v"))])
    let iterator = try reader.iterator(.default)
    iterator.seekToFirst()
    var count = 0
    while iterator.isValid {
      count += 1
      iterator.next()
    }
    #expect(count == 3)
    #expect(try reader.get(.default, b("k4")) == nil)
  }

  @Test("many concurrent writers are all durable, grouped into fewer syncs")
  func concurrentWritesSurviveReopen() async throws {
    let dir = try TemporaryDirectory("storage")
    do {
      let storage = try StandaloneStorage(path: dir.path)
      try await withThrowingTaskGroup(of: Void.self) { group in
        for writer in 0..<64 {
          group.addTask {
            for i in 0..<20 {
              try await storage.write(
                Kvrpcpb_Context(), [.put(.default, key: b("w\(writer)-\(i)"), value: b("\(i)"))])
            }
          }
        }
        try await group.waitForAll()
      }
      let stats = storage.commitStats
      #expect(stats.writes == 64 * 20)
      #expect(stats.syncs < stats.writes, "64 concurrent writers should share syncs")
      storage.close()
    }
    let storage = try StandaloneStorage(path: dir.path)
    defer { storage.close() }
    let reader = try await storage.reader(context)
    for writer in 0..<64 {
      for i in 0..<20 { #expect(try reader.get(.default, b("w\(writer)-\(i)")) == b("\(i)")) }
    }
  }

  @Test("one writer's unknown column family fails that writer only")
  func badWriteIsIsolated() async throws {
    let dir = try TemporaryDirectory("storage")
    let storage = try StandaloneStorage(path: dir.path)
    defer { storage.close() }
    let context = context
    let bad = Task {
      try await storage.write(context, [.put(ColumnFamily("nope"), key: b("x"), value: b("y"))])
    }
    let good = Task {
      try await storage.write(context, [.put(.default, key: b("ok"), value: b("1"))])
    }
    await #expect(throws: EngineError.self) { try await bad.value }
    try await good.value
    #expect(try await storage.reader(context).get(.default, b("ok")) == b("1"))
  }

  @Test("after close, writes are refused with an error")
  func closedStorage() async throws {
    let dir = try TemporaryDirectory("storage")
    let storage = try StandaloneStorage(path: dir.path)
    storage.close()
    await #expect(throws: EngineError.self) {
      try await storage.write(Kvrpcpb_Context(), [.put(.default, key: b("k"), value: b("v"))])
    }
    await #expect(throws: EngineError.self) { try await storage.reader(Kvrpcpb_Context()) }
  }
}
