/// How a routed request retries.
public struct RoutingOptions: Sendable {
  /// The whole request, every attempt and pause included, ends in an error after this long.
  public var timeout: Duration = .seconds(10)
  /// One attempt (one RPC) is abandoned after this long, so that a store that hangs is left for
  /// another peer.
  public var attemptTimeout: Duration = .seconds(3)
  /// A push-down request (`Coprocessor`) does a whole region's part of its work in one
  /// attempt, seconds of scanning on a large region: each of its attempts gets this long, and
  /// the request this long more than `timeout` (TiDB gives its coprocessor reads 60 s).
  public var pushDownAttemptTimeout: Duration = .seconds(60)
  /// Pauses after a busy store, an unknown leader or an unreachable store: doubling from
  /// `initial` to `maximum`, each drawn at random between half and all of it (jitter).
  public var backoff = Backoff(initial: .milliseconds(10), maximum: .milliseconds(500))
  /// Whether a raw client opens a write session (an id from the scheduler) so that its writes
  /// are applied exactly once: a write whose outcome is unknown is resent within the session,
  /// and a region that applied it answers from its session table. Off: such a write throws
  /// `KVClientError.undetermined` instead (docs/CLIENT.md, "Errors").
  public var writeSessions = true
  /// Whether requests go to each store on one `BatchCommands` stream (many requests per
  /// HTTP/2 message, docs/CLIENT.md) rather than as one unary call each. A store that does not
  /// serve the stream gets unary calls either way.
  public var batchCommands = true

  /// The defaults: 10 s per request, 3 s per attempt (60 s for a push-down), backoff from
  /// 10 ms to 500 ms, write sessions on, batched requests.
  public init() {}
}
