import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import TinyKVGRPC
import TinyKVProto

/// A client of the cluster's scheduler (`tinyscheduler-server`): timestamps, ids, stores,
/// regions and heartbeats.
///
/// ```swift
/// try await SchedulerClient.connect(to: HostAndPort(parsing: "127.0.0.1:2379")) { scheduler in
///   let ts = try await scheduler.timestamp()
///   let region = try await scheduler.region(containing: Data("k".utf8))
/// }
/// ```
/// On connecting it learns the cluster id (GetMembers) and from then on sends it with every
/// request and checks it in every response. Calls that find the scheduler unreachable are
/// retried with exponential backoff until `Options.retryTimeout`; the connection itself is
/// re-established by the transport. Timestamps from concurrent callers are coalesced into
/// batched requests on one stream. Safe to share between tasks.
public final class SchedulerClient: Sendable {
  /// How the client retries.
  public struct Options: Sendable {
    /// Give up on an unreachable scheduler after this long.
    public var retryTimeout: Duration = .seconds(10)
    /// Delays between retries and stream reconnects.
    public var backoff = Backoff()

    /// The defaults: a 10 s retry timeout, backoff from 50 ms to 1 s.
    public init() {}
  }

  /// The cluster this client talks to.
  public let clusterID: UInt64
  let stub: Schedulerpb_Scheduler.Client<HTTP2ClientTransport.Posix>
  let options: Options
  let batcher = TSOBatcher()

  private init(
    clusterID: UInt64, stub: Schedulerpb_Scheduler.Client<HTTP2ClientTransport.Posix>,
    options: Options
  ) {
    self.clusterID = clusterID
    self.stub = stub
    self.options = options
  }

  /// Connects to the scheduler at `endpoint`, learns its cluster id, runs `body` with a
  /// client, and closes everything when `body` returns or throws.
  /// - Throws: `SchedulerClientError.unavailable` if the scheduler cannot be reached within
  ///   the retry timeout, or what `body` throws.
  public static func connect<Result: Sendable>(
    to endpoint: HostAndPort, options: Options = Options(),
    _ body: (SchedulerClient) async throws -> Result
  ) async throws -> Result {
    return try await withGRPCClient(transport: endpoint.plaintextTransport()) { grpc in
      let stub = Schedulerpb_Scheduler.Client(wrapping: grpc)
      let members = try await retrying(options) {
        try await stub.getMembers(Schedulerpb_GetMembersRequest())
      }
      let client = SchedulerClient(
        clusterID: members.header.clusterID, stub: stub, options: options)
      return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
          await client.batcher.run(
            stub: stub, clusterID: client.clusterID, backoff: options.backoff)
        }
        defer { group.cancelAll() }
        return try await body(client)
      }
    }
  }

  /// A request header naming this client's cluster.
  var header: Schedulerpb_RequestHeader {
    var header = Schedulerpb_RequestHeader()
    header.clusterID = clusterID
    return header
  }

  /// Runs a unary call with retries, then checks the response header.
  func call<Response: Sendable>(
    _ body: @Sendable (Schedulerpb_RequestHeader) async throws -> Response,
    header responseHeader: (Response) -> Schedulerpb_ResponseHeader
  ) async throws -> Response {
    let header = header
    let response = try await Self.retrying(options) { try await body(header) }
    try check(responseHeader(response))
    return response
  }

  /// Throws for a header with an error or another cluster's id.
  func check(_ header: Schedulerpb_ResponseHeader) throws {
    if header.hasError, header.error.type != .ok {
      throw SchedulerClientError.scheduler(header.error)
    }
    guard header.clusterID == clusterID else {
      throw SchedulerClientError.clusterMismatch(expected: clusterID, got: header.clusterID)
    }
  }

  /// Retries `body` while the scheduler is unreachable, with exponential backoff, until the
  /// retry timeout.
  static func retrying<T: Sendable>(
    _ options: Options, _ body: () async throws -> T
  ) async throws -> T {
    let deadline = ContinuousClock.now + options.retryTimeout
    var delay = options.backoff.initial
    while true {
      do {
        return try await body()
      } catch let error as RPCError where error.code == .unavailable || error.code == .unknown {
        guard ContinuousClock.now + delay < deadline else {
          throw SchedulerClientError.unavailable(error.message)
        }
        try await Task.sleep(for: delay)
        delay = min(delay * 2, options.backoff.maximum)
      }
    }
  }
}
