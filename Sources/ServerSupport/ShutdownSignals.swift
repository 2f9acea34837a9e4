import Dispatch
import Foundation

/// Calls a handler on SIGINT or SIGTERM, instead of letting the signal kill the process, so
/// that a server can drain and close its engines. The handler gets the signal's name.
public final class ShutdownSignals {
  private let sources: [any DispatchSourceSignal]

  /// Starts listening; `handler` runs on a private queue.
  public init(_ handler: @escaping @Sendable (String) -> Void) {
    let queue = DispatchQueue(label: "shutdown-signals")
    sources = [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")].map { number, name in
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
      source.setEventHandler { handler(name) }
      source.resume()
      return source
    }
  }

  /// Stops listening for the signals.
  public func cancel() { sources.forEach { $0.cancel() } }
}
