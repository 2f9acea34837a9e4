import Engine
import Foundation
import KVServer
import Storage
import TestSupport
import Testing
import TinyKVProto

/// TinyKV's Project 1 scenarios, at the handler level, over a real StandaloneStorage.
@Suite("RawHandler")
struct RawHandlerTests {
  /// A handler over a fresh store whose `default` holds keys 1...4 with values 233,key.
  private func fixture(seeded: Bool = true) async throws -> (
    TemporaryDirectory, StandaloneStorage, RawHandler<StandaloneStorage>
  ) {
    let dir = try TemporaryDirectory("raw")
    let storage = try StandaloneStorage(path: dir.path)
    if seeded {
      try await storage.write(
        Kvrpcpb_Context(),
        (1...4).map { .put(.default, key: Data([UInt8($0)]), value: Data([233, UInt8($0)])) })
    }
    return (dir, storage, RawHandler(storage: storage))
  }

  private func get(_ h: RawHandler<StandaloneStorage>, _ key: Data, cf: String = "default")
    async -> Kvrpcpb_RawGetResponse
  {
    var request = Kvrpcpb_RawGetRequest()
    request.key = key
    request.cf = cf
    return await h.get(request)
  }

  private func put(
    _ h: RawHandler<StandaloneStorage>, _ key: Data, _ value: Data, cf: String = "default"
  ) async -> Kvrpcpb_RawPutResponse {
    var request = Kvrpcpb_RawPutRequest()
    request.key = key
    request.value = value
    request.cf = cf
    return await h.put(request)
  }

  private func delete(_ h: RawHandler<StandaloneStorage>, _ key: Data, cf: String = "default")
    async -> Kvrpcpb_RawDeleteResponse
  {
    var request = Kvrpcpb_RawDeleteRequest()
    request.key = key
    request.cf = cf
    return await h.delete(request)
  }

  private func scan(
    _ h: RawHandler<StandaloneStorage>, from start: Data, limit: UInt32, cf: String = "default"
  ) async -> Kvrpcpb_RawScanResponse {
    var request = Kvrpcpb_RawScanRequest()
    request.startKey = start
    request.limit = limit
    request.cf = cf
    return await h.scan(request)
  }

  @Test("get returns a stored value")
  func getValue() async throws {
    let (_, storage, handler) = try await fixture()
    defer { storage.close() }
    let response = await get(handler, Data([1]))
    #expect(response.error.isEmpty && !response.notFound)
    #expect(response.value == Data([233, 1]))
  }

  @Test("get of a missing key says not_found")
  func getMissing() async throws {
    let (_, storage, handler) = try await fixture()
    defer { storage.close() }
    let response = await get(handler, Data([99]))
    #expect(response.notFound && response.value.isEmpty && response.error.isEmpty)
  }

  @Test("put then get returns the new value; put overwrites")
  func putThenGet() async throws {
    let (_, storage, handler) = try await fixture(seeded: false)
    defer { storage.close() }
    #expect(await put(handler, Data([9]), Data([1])).error.isEmpty)
    #expect(await put(handler, Data([9]), Data([2])).error.isEmpty)
    #expect(await get(handler, Data([9])).value == Data([2]))
  }

  @Test("delete removes the key; get after delete says not_found; deleting again succeeds")
  func deleteThenGet() async throws {
    let (_, storage, handler) = try await fixture()
    defer { storage.close() }
    #expect(await delete(handler, Data([2])).error.isEmpty)
    #expect(await get(handler, Data([2])).notFound)
    #expect(await delete(handler, Data([2])).error.isEmpty)
  }

  @Test("an empty cf means default; column families are separate")
  func columnFamilies() async throws {
    let (_, storage, handler) = try await fixture()
    defer { storage.close() }
    #expect(await get(handler, Data([1]), cf: "").value == Data([233, 1]))
    #expect(await put(handler, Data([1]), Data([7]), cf: "lock").error.isEmpty)
    #expect(await get(handler, Data([1]), cf: "lock").value == Data([7]))
    #expect(await get(handler, Data([1]), cf: "write").notFound)
    #expect(await get(handler, Data([1])).value == Data([233, 1]))
  }

  @Test("scan returns pairs in order from start_key, at most limit")
  func scanLimit() async throws {
    let (_, storage, handler) = try await fixture()
    defer { storage.close() }
    let response = await scan(handler, from: Data([1]), limit: 10)
    #expect(response.kvs.map(\.key) == [Data([1]), Data([2]), Data([3]), Data([4])])
    #expect(response.kvs.map(\.value) == (1...4).map { Data([233, UInt8($0)]) })
    let limited = await scan(handler, from: Data([2]), limit: 2)
    #expect(limited.kvs.map(\.key) == [Data([2]), Data([3])])
    #expect(await scan(handler, from: Data([1]), limit: 0).kvs.isEmpty)
    #expect(await scan(handler, from: Data([5]), limit: 10).kvs.isEmpty)
  }

  @Test("scan after put includes the new key in order")
  func scanAfterPut() async throws {
    let (_, storage, handler) = try await fixture()
    defer { storage.close() }
    #expect(await put(handler, Data([5]), Data([233, 5])).error.isEmpty)
    let response = await scan(handler, from: Data([1]), limit: 10)
    #expect(response.kvs.map(\.key) == (1...5).map { Data([UInt8($0)]) })
  }

  @Test("scan after delete skips the deleted key")
  func scanAfterDelete() async throws {
    let (_, storage, handler) = try await fixture()
    defer { storage.close() }
    #expect(await delete(handler, Data([3])).error.isEmpty)
    let response = await scan(handler, from: Data([1]), limit: 10)
    #expect(response.kvs.map(\.key) == [Data([1]), Data([2]), Data([4])])
    #expect(response.kvs.map(\.value) == [Data([233, 1]), Data([233, 2]), Data([233, 4])])
  }

  @Test("an iterator opened before a delete still sees the deleted key (snapshot)")
  func iterateWhileDeleting() async throws {
    let (_, storage, handler) = try await fixture()
    defer { storage.close() }
    let reader = try await storage.reader(Kvrpcpb_Context())
    let iterator = try reader.iterator(.default)
    #expect(await delete(handler, Data([3])).error.isEmpty)
    var keys: [Data] = []
    iterator.seek(Data([1]))
    while iterator.isValid {
      keys.append(iterator.key)
      iterator.next()
    }
    #expect(keys == (1...4).map { Data([UInt8($0)]) })
  }

  @Test("bad input is an error in the response, and nothing is written")
  func badInput() async throws {
    let (_, storage, handler) = try await fixture()
    defer { storage.close() }
    let unknown = await put(handler, Data([1]), Data([0]), cf: "meta")
    #expect(unknown.error.contains("unknown column family \"meta\""))
    #expect(await get(handler, Data([1]), cf: "bogus").error.contains("unknown column family"))
    #expect(await delete(handler, Data([1]), cf: "bogus").error.contains("unknown column family"))
    #expect(await scan(handler, from: Data(), limit: 1, cf: "bogus").error.contains("unknown"))
    #expect(await put(handler, Data(), Data([1])).error == "key must not be empty")
    #expect(await get(handler, Data([1])).value == Data([233, 1]))
  }

  @Test("storage failures become errors in the response, not crashes")
  func storageFailure() async throws {
    let (_, storage, handler) = try await fixture()
    storage.close()
    #expect(!(await put(handler, Data([1]), Data([1])).error.isEmpty))
    #expect(!(await get(handler, Data([1])).error.isEmpty))
    #expect(!(await scan(handler, from: Data(), limit: 1).error.isEmpty))
  }
}
