import Engine
import Foundation
import Storage
import TinyKVProto

/// The raw key-value API (RawGet, RawPut, RawDelete, RawScan) over any `Storage`.
///
/// Speaks protocol messages in and out but knows nothing of gRPC. Never throws: every failure
/// lands in the response, a `RegionError` in `region_error` (the client re-routes), anything else
/// as text in `error`. The operations underneath (`RawHandler+Operations.swift`) are shared with
/// TiKV's front end, which adds batches, range deletion and bounded, reverse scans.
public struct RawHandler<S: Storage>: Sendable {
  public let storage: S

  public init(storage: S) { self.storage = storage }

  /// The value of `key` in `cf`; `not_found` when it has none.
  public func get(_ request: Kvrpcpb_RawGetRequest) async -> Kvrpcpb_RawGetResponse {
    var response = Kvrpcpb_RawGetResponse()
    do {
      if let pair = try await values(of: [request.key], cf: request.cf, request.context).first {
        response.value = pair.value
      } else {
        response.notFound = true
      }
    } catch {
      response.fail(with: error)
    }
    return response
  }

  /// Sets `key` to `value` in `cf`, durably.
  public func put(_ request: Kvrpcpb_RawPutRequest) async -> Kvrpcpb_RawPutResponse {
    var response = Kvrpcpb_RawPutResponse()
    do {
      try await write([.put(request.key, request.value)], cf: request.cf, request.context)
    } catch {
      response.fail(with: error)
    }
    return response
  }

  /// Removes `key` from `cf`, durably. Removing a missing key succeeds.
  public func delete(_ request: Kvrpcpb_RawDeleteRequest) async -> Kvrpcpb_RawDeleteResponse {
    var response = Kvrpcpb_RawDeleteResponse()
    do {
      try await write([.delete(request.key)], cf: request.cf, request.context)
    } catch {
      response.fail(with: error)
    }
    return response
  }

  /// As ``put(_:)``, answering through `completion` (on any thread) without a task.
  public func put(
    _ request: Kvrpcpb_RawPutRequest,
    completion: @escaping @Sendable (Kvrpcpb_RawPutResponse) -> Void
  ) {
    write([.put(request.key, request.value)], cf: request.cf, request.context) { result in
      completion(Kvrpcpb_RawPutResponse(result))
    }
  }

  /// As ``delete(_:)``, answering through `completion` (on any thread) without a task.
  public func delete(
    _ request: Kvrpcpb_RawDeleteRequest,
    completion: @escaping @Sendable (Kvrpcpb_RawDeleteResponse) -> Void
  ) {
    write([.delete(request.key)], cf: request.cf, request.context) { result in
      completion(Kvrpcpb_RawDeleteResponse(result))
    }
  }

  /// Up to `limit` pairs of `cf` in ascending key order, from `start_key` on, all read from
  /// one snapshot.
  public func scan(_ request: Kvrpcpb_RawScanRequest) async -> Kvrpcpb_RawScanResponse {
    var response = Kvrpcpb_RawScanResponse()
    do {
      let range = RawScanRange(start: request.startKey, limit: request.limit)
      response.kvs = try await scan(range, cf: request.cf, request.context).map { pair in
        var kv = Kvrpcpb_KvPair()
        kv.key = pair.key
        kv.value = pair.value
        return kv
      }
    } catch {
      response.fail(with: error)
    }
    return response
  }
}

/// A request the handler refuses before touching storage.
package struct InvalidRequest: Error, CustomStringConvertible {
  package let description: String
  package init(_ description: String) { self.description = description }
}

/// The column families the raw API exposes: the data ones, never the store's metadata.
enum RawColumnFamily {
  /// The column family a request names; an empty name means `default`.
  /// - Throws: `InvalidRequest` naming the valid choices.
  static func parse(_ name: String) throws -> ColumnFamily {
    if name.isEmpty { return .default }
    let cf = ColumnFamily(name)
    guard ColumnFamily.data.contains(cf) else {
      throw InvalidRequest(
        "unknown column family \"\(name)\" (expected one of: "
          + ColumnFamily.data.map(\.name).joined(separator: ", ") + ")")
    }
    return cf
  }
}

/// The error slots every raw response has.
protocol RawResponse {
  init()
  var regionError: Errorpb_Error { get set }
  var error: String { get set }
}

extension RawResponse {
  /// The answer of a write: empty on success, else with its failure recorded.
  init(_ result: Result<Void, any Error>) {
    self.init()
    if case .failure(let failure) = result { fail(with: failure) }
  }

  /// Records `failure`: a `RegionError` in `region_error` (the client re-routes), anything else
  /// as text in `error`.
  mutating func fail(with failure: any Error) {
    if let region = failure as? RegionError {
      regionError = region.error
    } else {
      error = String(describing: failure)
    }
  }
}

extension Kvrpcpb_RawGetResponse: RawResponse {}
extension Kvrpcpb_RawPutResponse: RawResponse {}
extension Kvrpcpb_RawDeleteResponse: RawResponse {}
extension Kvrpcpb_RawScanResponse: RawResponse {}
