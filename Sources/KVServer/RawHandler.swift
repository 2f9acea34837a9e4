import Engine
import Foundation
import Storage
import TinyKVProto

/// The raw key-value API (RawGet, RawPut, RawDelete, RawScan) over any `Storage`.
///
/// Speaks protocol messages in and out but knows nothing of gRPC, so the same handler can serve
/// other front ends. Never throws: every failure lands in the response, a `RegionError` in
/// `region_error` (the client re-routes), anything else as text in `error`.
public struct RawHandler<S: Storage>: Sendable {
  public let storage: S

  public init(storage: S) { self.storage = storage }

  /// The value of `key` in `cf`; `not_found` when it has none.
  public func get(_ request: Kvrpcpb_RawGetRequest) async -> Kvrpcpb_RawGetResponse {
    var response = Kvrpcpb_RawGetResponse()
    do {
      let cf = try RawColumnFamily.parse(request.cf)
      let reader = try await storage.reader(request.context)
      if let value = try reader.get(cf, request.key) {
        response.value = value
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
      let cf = try RawColumnFamily.parse(request.cf)
      guard !request.key.isEmpty else { throw InvalidRequest("key must not be empty") }
      try await storage.write(
        request.context, [.put(cf, key: request.key, value: request.value)])
    } catch {
      response.fail(with: error)
    }
    return response
  }

  /// Removes `key` from `cf`, durably. Removing a missing key succeeds.
  public func delete(_ request: Kvrpcpb_RawDeleteRequest) async -> Kvrpcpb_RawDeleteResponse {
    var response = Kvrpcpb_RawDeleteResponse()
    do {
      let cf = try RawColumnFamily.parse(request.cf)
      try await storage.write(request.context, [.delete(cf, key: request.key)])
    } catch {
      response.fail(with: error)
    }
    return response
  }

  /// Up to `limit` pairs of `cf` in ascending key order, from `start_key` on, all read from
  /// one snapshot.
  public func scan(_ request: Kvrpcpb_RawScanRequest) async -> Kvrpcpb_RawScanResponse {
    var response = Kvrpcpb_RawScanResponse()
    do {
      let cf = try RawColumnFamily.parse(request.cf)
      let reader = try await storage.reader(request.context)
      let iterator = try reader.iterator(cf)
      iterator.seek(request.startKey)
      var pairs: [Kvrpcpb_KvPair] = []
      pairs.reserveCapacity(Int(min(request.limit, 1024)))
      while iterator.isValid && pairs.count < Int(request.limit) {
        var pair = Kvrpcpb_KvPair()
        pair.key = iterator.key
        pair.value = iterator.value
        pairs.append(pair)
        iterator.next()
      }
      try iterator.checkStatus()
      response.kvs = pairs
    } catch {
      response.fail(with: error)
    }
    return response
  }
}

/// A request the handler refuses before touching storage.
struct InvalidRequest: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
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
  var regionError: Errorpb_Error { get set }
  var error: String { get set }
}

extension RawResponse {
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
