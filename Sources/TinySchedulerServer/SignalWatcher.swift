import Dispatch
import Foundation

/// Calls a handler when the process receives one of the given signals (instead of dying).
final class SignalWatcher {
  private let sources: [any DispatchSourceSignal]

  init(signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) {
    sources = signals.map { number in
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler { handler(number) }
      source.resume()
      return source
    }
  }

  func cancel() {
    for source in sources { source.cancel() }
  }
}
