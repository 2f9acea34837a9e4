import Foundation
import TinyKVGRPC
import TinyKVProto

/// A client of a cluster's raw key-value API: each request goes to the store leading the region
/// that holds its key, found through a region cache fed by the scheduler.
///
/// Use it inside `connect(scheduler:options:_:)`, which owns the connections:
/// ```swift
/// try await ClusterRawClient.connect(scheduler: HostAndPort(parsing: "127.0.0.1:2379")) { kv in
///   try await kv.put(Data("k".utf8), Data("v".utf8))
///   let value = try await kv.get(Data("k".utf8))
///   let pairs = try await kv.scan(from: Data("a".utf8), to: Data("z".utf8), limit: 100)
/// }
/// ```
/// Region errors (a moved leader, a split) and unreachable stores are retried within
/// `RoutingOptions.timeout` (see `RegionRequestSender`). Safe to share between tasks: requests to
/// one store are multiplexed over one HTTP/2 connection.
public struct ClusterRawClient: Sendable {
  let sender: RegionRequestSender

  /// Connects to the scheduler at `scheduler`, runs `body` with a client routing through it, and
  /// closes every connection when `body` returns or throws.
  public static func connect<Result: Sendable>(
    scheduler: HostAndPort, options: RoutingOptions = RoutingOptions(),
    _ body: (ClusterRawClient) async throws -> Result
  ) async throws -> Result {
    try await SchedulerClient.connect(to: scheduler) { directory in
      try await connect(directory: directory, options: options, body)
    }
  }

  /// Runs `body` with a client that finds regions in `directory`, and closes the store
  /// connections when `body` returns or throws.
  public static func connect<Result: Sendable>(
    directory: any RegionDirectory, options: RoutingOptions = RoutingOptions(),
    _ body: (ClusterRawClient) async throws -> Result
  ) async throws -> Result {
    try await StoreConnections.with { connections in
      try await body(
        ClusterRawClient(
          sender: RegionRequestSender(
            cache: RegionCache(directory: directory), connections: connections, options: options
          )))
    }
  }

  /// The value of `key` in `cf` (an empty `cf` means `default`), or `nil` if it has none.
  public func get(_ key: Data, cf: String = "") async throws -> Data? {
    let request = Kvrpcpb_RawGetRequest(key: key, cf: cf)
    let response = try await sender.send("raw get", key: key, request) {
      try await $0.rawGet($1, options: $2)
    }.response
    try Self.check(response.error)
    return response.notFound ? nil : response.value
  }

  /// Sets `key` to `value` in `cf`; returns once the region has it.
  public func put(_ key: Data, _ value: Data, cf: String = "") async throws {
    let request = Kvrpcpb_RawPutRequest(key: key, value: value, cf: cf)
    try Self.check(
      try await sender.send("raw put", key: key, request) {
        try await $0.rawPut($1, options: $2)
      }.response.error)
  }

  /// Removes `key` from `cf`.
  public func delete(_ key: Data, cf: String = "") async throws {
    let request = Kvrpcpb_RawDeleteRequest(key: key, cf: cf)
    try Self.check(
      try await sender.send("raw delete", key: key, request) {
        try await $0.rawDelete($1, options: $2)
      }.response.error)
  }

  /// Throws the store's error text, if it sent one.
  static func check(_ error: String) throws {
    if !error.isEmpty { throw KVClientError.server(error) }
  }
}
