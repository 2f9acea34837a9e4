import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import TinyKVGRPC
import TinyKVProto

/// A client of one store's raw key-value API.
///
/// Use it inside `RawKVClient.connect(to:_:)`, which owns the connection:
/// ```swift
/// try await RawKVClient.connect(to: HostAndPort(parsing: "127.0.0.1:20160")) { client in
///   try await client.put(Data("k".utf8), Data("v".utf8))
///   let value = try await client.get(Data("k".utf8))
/// }
/// ```
/// Safe to share between tasks: calls are multiplexed over one HTTP/2 connection.
public struct RawKVClient: Sendable {
  private let stub: Tinykvpb_TinyKv.Client<HTTP2ClientTransport.Posix>
  /// The region context every request carries (empty for a standalone store).
  public let context: Kvrpcpb_Context

  /// Connects to the standalone store at `endpoint`, runs `body` with a client, and closes the
  /// connection when `body` returns or throws.
  public static func connect<Result: Sendable>(
    to endpoint: HostAndPort,
    _ body: (RawKVClient) async throws -> Result
  ) async throws -> Result {
    try await connect(to: endpoint, context: Kvrpcpb_Context(), body)
  }

  /// Connects to the store at `endpoint`, runs `body` with a client whose requests all carry
  /// `context` (a replicated store needs the region and peer they are for), and closes the
  /// connection when `body` returns or throws.
  public static func connect<Result: Sendable>(
    to endpoint: HostAndPort, context: Kvrpcpb_Context,
    _ body: (RawKVClient) async throws -> Result
  ) async throws -> Result {
    return try await withGRPCClient(transport: endpoint.plaintextTransport()) { grpc in
      try await body(RawKVClient(stub: Tinykvpb_TinyKv.Client(wrapping: grpc), context: context))
    }
  }

  /// The value of `key` in `cf` (an empty `cf` means `default`), or `nil` if it has none.
  public func get(_ key: Data, cf: String = "") async throws -> Data? {
    var request = Kvrpcpb_RawGetRequest(key: key, cf: cf)
    request.context = context
    let response = try await stub.rawGet(request)
    try check(response.regionError, response.error)
    return response.notFound ? nil : response.value
  }

  /// Sets `key` to `value` in `cf`; returns once the store has it on disk.
  public func put(_ key: Data, _ value: Data, cf: String = "") async throws {
    var request = Kvrpcpb_RawPutRequest(key: key, value: value, cf: cf)
    request.context = context
    let response = try await stub.rawPut(request)
    try check(response.regionError, response.error)
  }

  /// Removes `key` from `cf`.
  public func delete(_ key: Data, cf: String = "") async throws {
    var request = Kvrpcpb_RawDeleteRequest(key: key, cf: cf)
    request.context = context
    let response = try await stub.rawDelete(request)
    try check(response.regionError, response.error)
  }

  /// Up to `limit` pairs of `cf` in ascending key order, starting at `start`.
  public func scan(from start: Data, limit: UInt32, cf: String = "") async throws -> [(
    key: Data, value: Data
  )] {
    var request = Kvrpcpb_RawScanRequest(from: start, limit: limit, cf: cf)
    request.context = context
    let response = try await stub.rawScan(request)
    try check(response.regionError, response.error)
    return response.kvs.map { (key: $0.key, value: $0.value) }
  }

  private func check(_ regionError: Errorpb_Error, _ error: String) throws {
    if regionError != Errorpb_Error() { throw KVClientError.region(regionError) }
    if !error.isEmpty { throw KVClientError.server(error) }
  }
}
