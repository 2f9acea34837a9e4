/// How a routed request retries.
public struct RoutingOptions: Sendable {
  /// The whole request, every attempt and pause included, ends in an error after this long.
  public var timeout: Duration = .seconds(10)
  /// One attempt (one RPC) is abandoned after this long, so that a store that hangs is left for
  /// another peer.
  public var attemptTimeout: Duration = .seconds(3)
  /// Pauses after a busy store, an unknown leader or an unreachable store: doubling from
  /// `initial` to `maximum`, each drawn at random between half and all of it (jitter).
  public var backoff = Backoff(initial: .milliseconds(10), maximum: .milliseconds(500))

  /// The defaults: 10 s per request, 3 s per attempt, backoff from 10 ms to 500 ms.
  public init() {}
}
