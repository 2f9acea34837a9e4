import Foundation
import GRPCCore
import Testing
import TiKVGRPC
import TiKVProto

/// The raw RPCs of `tikvpb.Tikv` over gRPC against a standalone store.
@Suite("TiKV raw RPCs")
struct RawRPCTests {
  /// Puts `keys` (each with value "v-<key>") with one RawBatchPut.
  private func fill(_ client: TikvClient, _ keys: [String], cf: String = "") async throws {
    var put = TiKVKvrpcpb_RawBatchPutRequest()
    put.cf = cf
    put.pairs = keys.map { key in
      var pair = TiKVKvrpcpb_KvPair()
      pair.key = bytes(key)
      pair.value = bytes("v-" + key)
      return pair
    }
    let response = try await client.rawBatchPut(put)
    #expect(response.error.isEmpty && !response.hasRegionError)
  }

  private func scan(
    _ client: TikvClient, from start: String, to end: String = "", limit: UInt32 = 100,
    reverse: Bool = false, keyOnly: Bool = false
  ) async throws -> [String] {
    var request = TiKVKvrpcpb_RawScanRequest()
    request.startKey = bytes(start)
    request.endKey = bytes(end)
    request.limit = limit
    request.reverse = reverse
    request.keyOnly = keyOnly
    let response = try await client.rawScan(request)
    #expect(!response.hasRegionError)
    return response.kvs.map { String(decoding: $0.key, as: UTF8.self) }
  }

  @Test("RawPut, RawGet and RawDelete of one key; a missing key is not_found")
  func singleKey() async throws {
    try await TikvLoopback.withStandalone { client in
      var put = TiKVKvrpcpb_RawPutRequest()
      put.key = bytes("k")
      put.value = bytes("v")
      #expect(try await client.rawPut(put).error.isEmpty)
      var get = TiKVKvrpcpb_RawGetRequest()
      get.key = bytes("k")
      #expect(try await client.rawGet(get).value == bytes("v"))
      var delete = TiKVKvrpcpb_RawDeleteRequest()
      delete.key = bytes("k")
      #expect(try await client.rawDelete(delete).error.isEmpty)
      let missing = try await client.rawGet(get)
      #expect(missing.notFound && missing.value.isEmpty)
    }
  }

  @Test("RawBatchGet returns the present keys in request order; RawBatchDelete removes all")
  func batches() async throws {
    try await TikvLoopback.withStandalone { client in
      try await fill(client, ["a", "b", "c"])
      var get = TiKVKvrpcpb_RawBatchGetRequest()
      get.keys = [bytes("c"), bytes("x"), bytes("a")]
      let got = try await client.rawBatchGet(get)
      #expect(got.pairs.map(\.key) == [bytes("c"), bytes("a")])
      #expect(got.pairs.map(\.value) == [bytes("v-c"), bytes("v-a")])
      var delete = TiKVKvrpcpb_RawBatchDeleteRequest()
      delete.keys = [bytes("a"), bytes("b")]
      #expect(try await client.rawBatchDelete(delete).error.isEmpty)
      #expect(try await scan(client, from: "") == ["c"])
    }
  }

  @Test("RawScan forward: start inclusive, end exclusive, limit, key_only")
  func forwardScan() async throws {
    try await TikvLoopback.withStandalone { client in
      try await fill(client, ["a", "b", "c", "d", "e"])
      #expect(try await scan(client, from: "b", to: "d") == ["b", "c"])
      #expect(try await scan(client, from: "b", limit: 2) == ["b", "c"])
      #expect(try await scan(client, from: "") == ["a", "b", "c", "d", "e"])
      #expect(try await scan(client, from: "a", limit: 0) == [])
      var request = TiKVKvrpcpb_RawScanRequest()
      request.startKey = bytes("d")
      request.limit = 10
      request.keyOnly = true
      let keysOnly = try await client.rawScan(request)
      #expect(keysOnly.kvs.map(\.key) == [bytes("d"), bytes("e")])
      #expect(keysOnly.kvs.allSatisfy { $0.value.isEmpty })
      request.keyOnly = false
      #expect(try await client.rawScan(request).kvs.map(\.value) == [bytes("v-d"), bytes("v-e")])
    }
  }

  @Test("RawScan reverse: start_key the exclusive upper bound, end_key the inclusive lower")
  func reverseScan() async throws {
    try await TikvLoopback.withStandalone { client in
      try await fill(client, ["a", "b", "c", "d", "e"])
      #expect(try await scan(client, from: "d", to: "b", reverse: true) == ["c", "b"])
      #expect(try await scan(client, from: "", reverse: true) == ["e", "d", "c", "b", "a"])
      #expect(try await scan(client, from: "", limit: 2, reverse: true) == ["e", "d"])
      #expect(try await scan(client, from: "c", reverse: true) == ["b", "a"])
    }
  }

  @Test("RawDeleteRange removes [start, end) and nothing else; an empty end means to the end")
  func deleteRange() async throws {
    try await TikvLoopback.withStandalone { client in
      try await fill(client, ["a", "b", "c", "d", "e"])
      var request = TiKVKvrpcpb_RawDeleteRangeRequest()
      request.startKey = bytes("b")
      request.endKey = bytes("d")
      #expect(try await client.rawDeleteRange(request).error.isEmpty)
      #expect(try await scan(client, from: "") == ["a", "d", "e"])
      request.startKey = bytes("d")
      request.endKey = Data()
      #expect(try await client.rawDeleteRange(request).error.isEmpty)
      #expect(try await scan(client, from: "") == ["a"])
      request.startKey = bytes("z")
      request.endKey = bytes("y")
      #expect(try await client.rawDeleteRange(request).error.contains("invalid range"))
    }
  }

  @Test("column families: \"\" is default, lock and write are separate, others are refused")
  func columnFamilies() async throws {
    try await TikvLoopback.withStandalone { client in
      try await fill(client, ["k"], cf: "write")
      var get = TiKVKvrpcpb_RawGetRequest()
      get.key = bytes("k")
      #expect(try await client.rawGet(get).notFound)
      get.cf = "write"
      #expect(try await client.rawGet(get).value == bytes("v-k"))
      get.cf = "meta"
      #expect(try await client.rawGet(get).error.contains("unknown column family"))
      var scan = TiKVKvrpcpb_RawScanRequest()
      scan.cf = "nope"
      scan.limit = 1
      let refused = try await client.rawScan(scan)
      #expect(refused.kvs.count == 1 && refused.kvs[0].error.abort.contains("unknown column"))
    }
  }

  @Test("TTL and compare-and-swap are refused in error; API V2 is refused as a status")
  func refusals() async throws {
    try await TikvLoopback.withStandalone { client in
      var put = TiKVKvrpcpb_RawPutRequest()
      put.key = bytes("k")
      put.ttl = 10
      let ttl = try await client.rawPut(put)
      #expect(ttl.error.contains("TTL is not supported"))
      put.ttl = 0
      put.forCas = true
      let cas = try await client.rawPut(put)
      #expect(cas.error.contains("compare-and-swap"))
      var batch = TiKVKvrpcpb_RawBatchPutRequest()
      batch.ttls = [0, 5]
      let ttls = try await client.rawBatchPut(batch)
      #expect(ttls.error.contains("TTL"))
      var get = TiKVKvrpcpb_RawGetRequest()
      get.key = bytes("k")
      #expect(try await client.rawGet(get).notFound, "nothing was written")
      get.context.apiVersion = .v2
      let error = await rpcError { try await client.rawGet(get) }
      #expect(error?.code == .invalidArgument && error?.message.contains("API V1") == true)
    }
  }
}
