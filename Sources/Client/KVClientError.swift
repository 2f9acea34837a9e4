import TinyKVProto

/// A request the store answered with an error, or that could not be served at all.
public enum KVClientError: Error, CustomStringConvertible {
  /// The store could not serve the request as addressed (wrong leader, stale epoch, ...).
  case region(Errorpb_Error)
  /// The store refused or failed the request; the text is the store's.
  case server(String)
  /// A routed request found no store able to serve it before its deadline.
  case unroutable(RoutingFailure)
  /// A raw write may or may not have taken effect: an attempt went out and its answer was lost
  /// (connection cut, timeout, the store lost track of it), and it could not be resent safely
  /// (no write session, or the region no longer knew the session). Read the key to find out.
  case undetermined(RoutingFailure)
  /// The client was used after its connections were closed.
  case closed

  public var description: String {
    switch self {
    case .region(let error): "region error: " + error.summary
    case .server(let message): message
    case .unroutable(let failure): failure.description
    case .undetermined(let failure): "outcome unknown: " + failure.description
    case .closed: "the client is closed"
    }
  }
}

extension Errorpb_Error {
  /// The store's message, else the error's fields as text.
  var summary: String { message.isEmpty ? textFormatString() : message }
}
