import TinyKVProto

/// What the router may do with a request after an attempt whose outcome is unknown: it went out
/// and then the connection was lost, the attempt timed out, or the store answered
/// `UndeterminedResult`.
package enum ResendRule: Sendable {
  /// Send it again: reads, and transactional RPCs (idempotent for their start timestamp).
  case idempotent
  /// A raw write numbered `sequence` in `session`: send it again marked as a resend, so that a
  /// region that applied it answers from its session table instead of applying it twice.
  case session(WriteSession, sequence: UInt64)
  /// A raw write without a session: never send it again; `KVClientError.undetermined`.
  case never
}
