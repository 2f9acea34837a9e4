import Client
import Foundation

/// `text` as key or value bytes.
func bytes(_ text: String) -> Data { Data(text.utf8) }

extension RoutingOptions {
  /// Short pauses, so that retry tests take milliseconds; long deadlines, so that a loaded
  /// machine never turns a slow answer into a retry (and a request served twice).
  static var fast: RoutingOptions {
    var options = RoutingOptions()
    options.timeout = .seconds(30)
    options.attemptTimeout = .seconds(15)
    options.backoff = Backoff(initial: .milliseconds(10), maximum: .milliseconds(100))
    return options
  }
}
