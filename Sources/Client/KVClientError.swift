import TinyKVProto

/// A request the store answered with an error, or that could not be served at all.
public enum KVClientError: Error, CustomStringConvertible {
  /// The store could not serve the request as addressed (wrong leader, stale epoch, ...).
  case region(Errorpb_Error)
  /// The store refused or failed the request; the text is the store's.
  case server(String)
  /// A routed request found no store able to serve it before its deadline.
  case unroutable(RoutingFailure)
  /// The client was used after its connections were closed.
  case closed

  public var description: String {
    switch self {
    case .region(let error): "region error: " + error.summary
    case .server(let message): message
    case .unroutable(let failure): failure.description
    case .closed: "the client is closed"
    }
  }
}

extension Errorpb_Error {
  /// The store's message, else the error's fields as text.
  var summary: String { message.isEmpty ? textFormatString() : message }
}
