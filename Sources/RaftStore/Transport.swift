import TinyKVProto

/// Carries Raft messages to peers on other stores. `send` must not block: it queues the
/// message (and may drop it; Raft retries).
public protocol Transport: Sendable {
  /// Sends `message` to the store of `message.toPeer`.
  func send(_ message: RaftServerpb_RaftMessage)
}
