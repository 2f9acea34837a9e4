import Foundation
import GRPCCore
import KVServer
import Storage
import TiKVGRPC
import TiKVProto
import TinyKVProto

/// The raw key-value RPCs: each one operation of the `RawHandler`. API V1 only; TTLs and
/// compare-and-swap are refused in the response's `error`.
extension TikvService {
  public func rawGet(
    request: TiKVKvrpcpb_RawGetRequest, context: ServerContext
  ) async throws -> TiKVKvrpcpb_RawGetResponse {
    try await answer("RawGet", request.context) { response, context in
      let pairs = try await raw.values(of: [request.key], cf: request.cf, context)
      if let pair = pairs.first { response.value = pair.value } else { response.notFound = true }
    }
  }

  public func rawBatchGet(
    request: TiKVKvrpcpb_RawBatchGetRequest, context: ServerContext
  ) async throws -> TiKVKvrpcpb_RawBatchGetResponse {
    try await answer("RawBatchGet", request.context, pairs: \.pairs) { context in
      try await raw.values(of: request.keys, cf: request.cf, context)
    }
  }

  public func rawPut(
    request: TiKVKvrpcpb_RawPutRequest, context: ServerContext
  ) async throws -> TiKVKvrpcpb_RawPutResponse {
    try await answer("RawPut", request.context) { _, context in
      try RawLimits.refuse(ttl: request.ttl != 0, cas: request.forCas)
      try await raw.write([.put(request.key, request.value)], cf: request.cf, context)
    }
  }

  public func rawBatchPut(
    request: TiKVKvrpcpb_RawBatchPutRequest, context: ServerContext
  ) async throws -> TiKVKvrpcpb_RawBatchPutResponse {
    try await answer("RawBatchPut", request.context) { _, context in
      let ttl = request.ttl != 0 || request.ttls.contains { $0 != 0 }
      try RawLimits.refuse(ttl: ttl, cas: request.forCas)
      try await raw.write(request.pairs.map { .put($0.key, $0.value) }, cf: request.cf, context)
    }
  }

  public func rawDelete(
    request: TiKVKvrpcpb_RawDeleteRequest, context: ServerContext
  ) async throws -> TiKVKvrpcpb_RawDeleteResponse {
    try await answer("RawDelete", request.context) { _, context in
      try RawLimits.refuse(ttl: false, cas: request.forCas)
      try await raw.write([.delete(request.key)], cf: request.cf, context)
    }
  }

  public func rawBatchDelete(
    request: TiKVKvrpcpb_RawBatchDeleteRequest, context: ServerContext
  ) async throws -> TiKVKvrpcpb_RawBatchDeleteResponse {
    try await answer("RawBatchDelete", request.context) { _, context in
      try RawLimits.refuse(ttl: false, cas: request.forCas)
      try await raw.write(request.keys.map { .delete($0) }, cf: request.cf, context)
    }
  }

  /// One range deletion through the storage (a Raft command on a replicated store); an empty
  /// `end_key` means to the end of the region.
  public func rawDeleteRange(
    request: TiKVKvrpcpb_RawDeleteRangeRequest, context: ServerContext
  ) async throws -> TiKVKvrpcpb_RawDeleteRangeResponse {
    try await answer("RawDeleteRange", request.context) { _, context in
      try await raw.deleteRange(
        from: request.startKey, to: request.endKey, cf: request.cf, context)
    }
  }

  /// With `reverse`, `start_key` is the exclusive upper bound and `end_key` the inclusive lower
  /// bound, as in TiKV; either way the pairs come from the addressed region only.
  public func rawScan(
    request: TiKVKvrpcpb_RawScanRequest, context: ServerContext
  ) async throws -> TiKVKvrpcpb_RawScanResponse {
    try await answer("RawScan", request.context, pairs: \.kvs) { context in
      let range = RawScanRange(
        start: request.startKey, end: request.endKey, limit: request.limit,
        keyOnly: request.keyOnly, reverse: request.reverse)
      return try await raw.scan(range, cf: request.cf, context)
    }
  }

  /// Checks the API version, runs `body` on a fresh response with TinyKV's form of the
  /// context, and records what it throws in the response (see `TiKVRawResponse.fail(with:)`).
  private func answer<Response: TiKVRawResponse>(
    _ method: String, _ context: TiKVKvrpcpb_Context,
    _ body: (inout Response, Kvrpcpb_Context) async throws -> Void
  ) async throws -> Response {
    try NotServed.checkAPIVersion(context, method)
    var response = Response()
    do {
      try await body(&response, context.tinyKV)
    } catch {
      response.fail(with: error)
    }
    return response
  }

  /// ``answer(_:_:_:)`` for the responses that carry pairs and no `error` string.
  private func answer<Response: TiKVRegionErrorResponse>(
    _ method: String, _ context: TiKVKvrpcpb_Context,
    pairs: WritableKeyPath<Response, [TiKVKvrpcpb_KvPair]>,
    _ body: (Kvrpcpb_Context) async throws -> [RawPair]
  ) async throws -> Response {
    try NotServed.checkAPIVersion(context, method)
    var response = Response()
    do {
      response[keyPath: pairs] = try await body(context.tinyKV).map(TiKVKvrpcpb_KvPair.init)
    } catch {
      response.fail(with: error, pairs: pairs)
    }
    return response
  }
}

/// The raw API's refusals of TiKV features this store does not have.
enum RawLimits {
  /// - Throws: `InvalidRequest` when a request asks for a TTL or compare-and-swap.
  static func refuse(ttl: Bool, cas: Bool) throws {
    if ttl {
      throw InvalidRequest("TTL is not supported: this store speaks API V1 (TiKV refuses it too)")
    }
    if cas {
      throw InvalidRequest("compare-and-swap is not supported by this store")
    }
  }
}

extension TiKVKvrpcpb_KvPair {
  init(_ pair: RawPair) {
    self.init()
    key = pair.key
    value = pair.value
  }
}

extension TiKVRegionErrorResponse {
  /// Records `failure` in a response without an `error` string (RawBatchGet, RawScan): a
  /// `RegionError` in `region_error`, anything else as one pair whose `error.abort` holds the
  /// text, as TiKV reports such failures.
  mutating func fail(
    with failure: any Error, pairs: WritableKeyPath<Self, [TiKVKvrpcpb_KvPair]>
  ) {
    if let region = failure as? RegionError {
      regionError = TiKVErrorpb_Error(region)
    } else {
      var pair = TiKVKvrpcpb_KvPair()
      pair.error.abort = String(describing: failure)
      self[keyPath: pairs] = [pair]
    }
  }
}
