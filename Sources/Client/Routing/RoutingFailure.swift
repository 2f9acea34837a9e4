import Foundation
import TinyKVProto

/// Why a routed request gave up: what it was, how hard it tried, and what it met last.
public struct RoutingFailure: Sendable, CustomStringConvertible {
  /// The request, as the client names it (`raw put`, `raw scan`, ...).
  public var operation: String
  /// The key the request was routed by.
  public var key: Data
  /// RPCs sent (or attempted) before giving up.
  public var attempts: Int
  /// Time spent, pauses included.
  public var elapsed: Duration
  /// The last region error a store answered, if any did.
  public var lastRegionError: Errorpb_Error?
  /// The last thing that went wrong (a region error, an unreachable store, a busy store).
  public var lastProblem: String

  public var description: String {
    var text =
      "\(operation) of key 0x\(key.map { String(format: "%02x", $0) }.joined()) gave up after"
      + " \(attempts) attempts in \(elapsed): \(lastProblem)"
    if let lastRegionError { text += " (last region error: \(lastRegionError.summary))" }
    return text
  }
}
