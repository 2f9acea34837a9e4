import Client

/// Tunables of a ``GRPCTransport``.
public struct GRPCTransportConfig: Sendable {
  /// The most Raft messages queued for one store; further messages are dropped (and counted)
  /// until the store's stream catches up. Raft retries what is lost.
  public var queueCapacity = 4096
  /// The size of the `data` of each `SnapshotChunk`, in bytes; every gRPC message of a
  /// snapshot stream is at most this plus a few bytes of framing.
  public var snapshotChunkBytes = 1 << 20
  /// Delays between attempts to reach a store whose stream failed: the first delay doubles
  /// after each failed attempt up to the maximum, and each delay is jittered down by up to
  /// half, so stores that fail together do not retry together.
  public var reconnectBackoff = Backoff(initial: .milliseconds(50), maximum: .seconds(2))
  /// The most snapshots sent at once (each on its own `Snapshot` stream); further snapshots
  /// wait their turn.
  public var concurrentSnapshots = 2
  /// The most snapshots waiting to be sent; a snapshot beyond it is reported failed.
  public var snapshotQueueCapacity = 16
  /// How long one snapshot may take to send before it is abandoned and reported failed (so a
  /// stalled stream cannot hold a sending slot forever).
  public var snapshotTimeout = Duration.seconds(600)

  /// The defaults: 4,096 queued messages per store, 1 MiB chunks, backoff from 50 ms to 2 s,
  /// 2 concurrent snapshots with 16 waiting, 10 minutes per snapshot.
  public init() {}
}
