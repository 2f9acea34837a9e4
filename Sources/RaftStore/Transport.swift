import TinyKVProto

/// Carries Raft messages to peers on other stores. `send` must not block: it queues the
/// message (and may drop it; Raft retries).
public protocol Transport: Sendable {
  /// Sends `message` to the store of `message.toPeer`.
  func send(_ message: RaftServerpb_RaftMessage)
}

/// What a transport tells the store about messages it could not deliver, so Raft stops
/// waiting on them (`reportUnreachable`, `reportSnapshot`).
public enum DeliveryReport: Sendable, Equatable {
  /// The store of `toPeerID` could not be reached; Raft falls back to probing that peer.
  case unreachable(regionID: UInt64, toPeerID: UInt64)
  /// A snapshot to `toPeerID` was streamed completely (`succeeded`) or failed.
  case snapshot(regionID: UInt64, toPeerID: UInt64, succeeded: Bool)
}
