import Foundation
import Synchronization
import TestSupport

/// A server of a chaos run (the scheduler or a store) as a child process, logging to a file,
/// watched: when it ends without the harness having asked (``stop(signal:grace:)``), a
/// ``ProcessDeath`` goes to the cluster's ``DeathWatch`` from the process's termination handler,
/// so the run fails at once rather than when something next tries to reach the process.
final class ChaosProcess: @unchecked Sendable {
  // @unchecked: `process` is only used through Foundation's thread-safe Process API after
  // `run()`; the rest is immutable or synchronized.
  let name: String
  let logPath: String
  private let process = Process()
  private let exit = OneShot<Termination>()
  /// Set before the harness signals the process to end it, so the exit is not a death.
  private let stopping = Atomic<Bool>(false)

  /// Starts `executable` with `arguments` (and `environment` added to this process's),
  /// output to a new file at `logPath`.
  init(
    name: String, executable: String, arguments: [String], environment: [String: String],
    logPath: String, watch: DeathWatch
  ) throws {
    self.name = name
    self.logPath = logPath
    let descriptor = open(logPath, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0o644)
    guard descriptor >= 0 else { throw TestFailure("cannot create \(logPath): errno \(errno)") }
    let log = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    (process.standardOutput, process.standardError) = (log, log)
    let started = ContinuousClock.now
    process.terminationHandler = { [exit, weak self] process in
      let termination = Termination(
        exited: process.terminationReason == .exit, status: process.terminationStatus)
      exit.resolve(termination)
      guard let self, !self.stopping.load(ordering: .acquiring) else { return }
      watch.report(
        ProcessDeath(
          name: name, pid: process.processIdentifier, termination: termination,
          lifetime: .now - started, logPath: logPath, logTail: ProcessDeath.tail(of: logPath),
          seenAt: .now))
    }
    try process.run()
  }

  var pid: Int32 { process.processIdentifier }
  var isRunning: Bool { exit.current == nil }

  /// Sends `signal` (SIGSTOP and SIGCONT pause and resume the process).
  func send(_ signal: Int32) {
    if isRunning { kill(pid, signal) }
  }

  /// Ends the process on purpose: sends `signal` (and SIGCONT, in case it is paused), then
  /// SIGKILL if it is still there after `grace`; returns how it ended.
  @discardableResult
  func stop(signal: Int32 = SIGTERM, grace: Duration = .seconds(10)) async -> Termination {
    stopping.store(true, ordering: .releasing)
    send(signal)
    send(SIGCONT)
    let killer = Task { [weak self] in
      try await Task.sleep(for: grace)
      self?.send(SIGKILL)
    }
    defer { killer.cancel() }
    return await exit.value
  }

  /// Waits until the process accepts connections on `host:port`.
  /// - Throws: `TestFailure` with the log's end if it exits first or the timeout passes.
  func waitUntilListening(host: String, port: Int, timeout: Duration = .seconds(30)) async throws {
    do {
      try await eventually("\(name) to listen on \(host):\(port)", timeout: timeout) {
        if let termination = exit.current { throw TestFailure("\(name) ended: \(termination)") }
        return Reachability.isListening(host: host, port: port)
      }
    } catch let failure as TestFailure {
      throw TestFailure("\(failure.description)\n\(ProcessDeath.tail(of: logPath))")
    }
  }

  deinit {
    if isRunning {
      stopping.store(true, ordering: .releasing)
      kill(pid, SIGKILL)
    }
  }
}
