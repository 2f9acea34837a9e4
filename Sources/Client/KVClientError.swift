import TinyKVProto

/// A request the store answered with an error.
public enum KVClientError: Error, CustomStringConvertible {
  /// The store could not serve the request as addressed (wrong leader, stale epoch, ...).
  case region(Errorpb_Error)
  /// The store refused or failed the request; the text is the store's.
  case server(String)

  public var description: String {
    switch self {
    case .region(let error):
      "region error: " + (error.message.isEmpty ? error.textFormatString() : error.message)
    case .server(let message): message
    }
  }
}
