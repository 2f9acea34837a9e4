import Logging
import Synchronization

/// A log handler that keeps every line (level and message) for a test to read.
final class LogCapture: Sendable {
  private let lines = Mutex<[(level: Logger.Level, message: String)]>([])

  /// A logger writing here, at `level` and above.
  func logger(level: Logger.Level = .info) -> Logger {
    var logger = Logger(label: "test") { _ in Handler(capture: self) }
    logger.logLevel = level
    return logger
  }

  /// The messages logged so far at `level` that contain `text`.
  func messages(_ level: Logger.Level, containing text: String) -> [String] {
    lines.withLock { lines in
      lines.filter { $0.level == level && $0.message.contains(text) }.map(\.message)
    }
  }

  private struct Handler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
      get { metadata[key] }
      set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
      capture.lines.withLock { $0.append((event.level, "\(event.message)")) }
    }
  }
}
