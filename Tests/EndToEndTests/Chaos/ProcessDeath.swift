import Foundation
import Synchronization

/// How a child process ended: its exit status, or the signal that killed it.
struct Termination: Sendable, CustomStringConvertible {
  /// True for an exit (`status` is the exit code), false for an uncaught signal (`status` is
  /// the signal's number).
  var exited: Bool
  var status: Int32

  var description: String {
    if exited { return "exit status \(status)" }
    let name = strsignal(status).map { String(cString: $0) } ?? "?"
    return "killed by signal \(status) (\(name))"
  }
}

/// A chaos cluster's process that ended without the harness asking it to: the error a chaos run
/// fails with, naming the process, how it ended and the end of its log.
struct ProcessDeath: Error, Sendable, CustomStringConvertible {
  /// How many lines of the log the error carries.
  static let tailLines = 60

  var name: String
  var pid: Int32
  var termination: Termination
  /// How long the process had run.
  var lifetime: Duration
  var logPath: String
  /// The last ``tailLines`` lines of the log when the exit was seen.
  var logTail: String
  /// When the exit was seen, to measure how fast the run failed after it.
  var seenAt: ContinuousClock.Instant

  var description: String {
    "\(name) (pid \(pid)) ended by itself after \(Fault.seconds(lifetime)): \(termination); "
      + "the last \(Self.tailLines) lines of \(logPath):\n\(logTail)"
  }

  /// The last `count` lines of the file at `path`.
  static func tail(of path: String, lines count: Int = tailLines) -> String {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return "(no log)" }
    return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(count + 1)
      .joined(separator: "\n")
  }
}

/// Collects the deaths of a cluster's processes (``ProcessDeath``) and tells whoever listens:
/// ``supervise(deadline:watch:_:)`` turns the first into the run's failure.
final class DeathWatch: Sendable {
  private struct State {
    var deaths: [ProcessDeath] = []
    var listeners: [@Sendable (ProcessDeath) -> Void] = []
  }

  private let state = Mutex(State())

  init() {}

  /// Every death reported so far.
  var deaths: [ProcessDeath] { state.withLock { $0.deaths } }

  /// Records `death` and calls every listener.
  func report(_ death: ProcessDeath) {
    let listeners = state.withLock { state in
      state.deaths.append(death)
      return state.listeners
    }
    for listener in listeners { listener(death) }
  }

  /// Calls `listener` on every death from now on, and at once with the first one if a process
  /// has already died.
  func onDeath(_ listener: @escaping @Sendable (ProcessDeath) -> Void) {
    let first = state.withLock { state in
      state.listeners.append(listener)
      return state.deaths.first
    }
    if let first { listener(first) }
  }
}
