import Client
import Foundation

/// `text` as key or value bytes.
func bytes(_ text: String) -> Data { Data(text.utf8) }

extension RoutingOptions {
  /// Short pauses and deadlines, so that retry tests take milliseconds.
  static var fast: RoutingOptions {
    var options = RoutingOptions()
    options.timeout = .seconds(5)
    options.attemptTimeout = .seconds(1)
    options.backoff = Backoff(initial: .milliseconds(10), maximum: .milliseconds(100))
    return options
  }
}
