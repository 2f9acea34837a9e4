import Foundation
import GRPCCore
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
/// `RoutingOptions.timeout` (see `RegionRequestSender`). Writes are applied exactly once: the
/// client opens a write session and numbers its writes, so one whose answer was lost is resent
/// safely (`RoutingOptions.writeSessions`; docs/CLIENT.md). Safe to share between tasks:
/// requests to one store are multiplexed over one HTTP/2 connection, and the tasks share the
/// session.
public struct ClusterRawClient: Sendable {
  let sender: RegionRequestSender
  /// The write session, unless `RoutingOptions.writeSessions` is off.
  let session: WriteSession?

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

  /// Runs `body` with a client that finds regions in `directory` (and takes its session id
  /// there), and closes the store connections when `body` returns or throws.
  public static func connect<Result: Sendable>(
    directory: any RegionDirectory, options: RoutingOptions = RoutingOptions(),
    _ body: (ClusterRawClient) async throws -> Result
  ) async throws -> Result {
    let session = options.writeSessions ? WriteSession(id: try await directory.newSessionID()) : nil
    return try await StoreConnections.with(batched: options.batchCommands) { connections in
      try await body(
        ClusterRawClient(
          sender: RegionRequestSender(
            cache: RegionCache(directory: directory), connections: connections, options: options
          ), session: session))
    }
  }

  /// The value of `key` in `cf` (an empty `cf` means `default`), or `nil` if it has none.
  public func get(_ key: Data, cf: String = "") async throws -> Data? {
    let request = Kvrpcpb_RawGetRequest(key: key, cf: cf)
    let response = try await sender.send("raw get", key: key, request).response
    try Self.check(response.error)
    return response.notFound ? nil : response.value
  }

  /// Sets `key` to `value` in `cf`; returns once the region has it.
  /// - Throws: `KVClientError.undetermined` if the put may or may not have taken effect (see
  ///   `RoutingOptions.writeSessions`), `.unroutable` if it surely did not.
  public func put(_ key: Data, _ value: Data, cf: String = "") async throws {
    let request = Kvrpcpb_RawPutRequest(key: key, value: value, cf: cf)
    try await write("raw put", key: key, request)
  }

  /// Removes `key` from `cf`.
  /// - Throws: as `put`.
  public func delete(_ key: Data, cf: String = "") async throws {
    let request = Kvrpcpb_RawDeleteRequest(key: key, cf: cf)
    try await write("raw delete", key: key, request)
  }

  /// Sends a write numbered in the session (if any), resent only as `ResendRule` allows.
  private func write<Command: StoreCommand>(
    _ operation: String, key: Data, _ request: Command
  ) async throws where Command.Response: RawWriteResponse {
    guard let session else {
      return try Self.check(
        try await sender.send(operation, key: key, request, resend: .never).response.error)
    }
    let sequence = session.begin()
    defer { session.finish(sequence) }
    try Self.check(
      try await sender.send(
        operation, key: key, request, resend: .session(session, sequence: sequence)
      ).response.error)
  }

  /// Throws the store's error text, if it sent one.
  static func check(_ error: String) throws {
    if !error.isEmpty { throw KVClientError.server(error) }
  }
}
