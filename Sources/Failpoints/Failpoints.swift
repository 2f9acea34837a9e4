import Foundation
import Randomness
import Synchronization

/// Named places in the code where tests (and chaos runs) inject faults, in the spirit of TiKV's
/// fail-rs. Every failpoint is off unless configured, and while none is configured evaluating
/// one costs a single atomic load.
///
/// At a failpoint, the code asks what to do:
/// ```swift
/// if Failpoints.evaluate("raftstore::before-sync") != nil { return }  // failure path
/// ```
/// Configuration comes from the environment at start (``configureFromEnvironment()``:
/// `TINYKV_FAILPOINTS="name=actions;name=actions"`, `TINYKV_FAILPOINTS_SEED` for the
/// percentages) or from a test (``set(_:_:)``); see `FailAction` for the action syntax.
public enum Failpoints {
  private struct Registry {
    var points: [String: [FailAction]] = [:]
    /// Bumped when a failpoint's configuration changes, so a paused evaluation notices.
    var versions: [String: UInt64] = [:]
    /// The actions of each point as they were set (for listing).
    var texts: [String: String] = [:]
    var random = SplitMix64(seed: 0x5EED)
  }

  private static let anyConfigured = Atomic<Bool>(false)
  private static let registry = Mutex(Registry())

  /// The environment variable read by ``configureFromEnvironment()``.
  public static let environmentKey = "TINYKV_FAILPOINTS"

  /// Configures failpoint `name` with `actions` (e.g. `"return"`, `"50%sleep(100)"`,
  /// `"2*return->off"`), replacing what it had; `"off"` or `""` removes it.
  /// - Throws: `FailpointError` for an action that cannot be read (nothing changes then).
  public static func set(_ name: String, _ actions: String) throws {
    let trimmed = actions.trimmingCharacters(in: .whitespaces)
    let chain = trimmed.isEmpty ? [] : try FailAction.parseChain(trimmed)
    registry.withLock { registry in
      if chain.isEmpty || chain == [FailAction(task: .off)] {
        registry.points[name] = nil
        registry.texts[name] = nil
      } else {
        registry.points[name] = chain
        registry.texts[name] = trimmed
      }
      registry.versions[name, default: 0] &+= 1
      anyConfigured.store(!registry.points.isEmpty, ordering: .releasing)
    }
  }

  /// Turns failpoint `name` off.
  public static func remove(_ name: String) {
    try? set(name, "off")
  }

  /// Turns every failpoint off.
  public static func removeAll() {
    registry.withLock { registry in
      registry.points = [:]
      registry.texts = [:]
      for name in registry.versions.keys { registry.versions[name]! &+= 1 }
      anyConfigured.store(false, ordering: .releasing)
    }
  }

  /// Every configured failpoint and its actions as set, by name.
  public static func configured() -> [(name: String, actions: String)] {
    registry.withLock { registry in
      registry.texts.filter { registry.points[$0.key] != nil }.sorted { $0.key < $1.key }
        .map { (name: $0.key, actions: $0.value) }
    }
  }

  /// Reads `TINYKV_FAILPOINTS` (`name=actions` pairs separated by `;`) and
  /// `TINYKV_FAILPOINTS_SEED` from `environment`.
  /// - Returns: the names configured.
  /// - Throws: `FailpointError` for a malformed entry (none is applied then).
  @discardableResult
  public static func configureFromEnvironment(
    _ environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> [String] {
    if let seed = environment[environmentKey + "_SEED"] {
      guard let value = UInt64(seed) else {
        throw FailpointError("\(environmentKey)_SEED must be an unsigned integer")
      }
      registry.withLock { $0.random = SplitMix64(seed: value) }
    }
    guard let text = environment[environmentKey], !text.isEmpty else { return [] }
    var parsed: [(String, String)] = []
    for entry in text.split(separator: ";") where !entry.allSatisfy(\.isWhitespace) {
      guard let equals = entry.firstIndex(of: "=") else {
        throw FailpointError("\(environmentKey): \"\(entry)\" is not name=actions")
      }
      let name = entry[..<equals].trimmingCharacters(in: .whitespaces)
      let actions = String(entry[entry.index(after: equals)...])
      _ = try FailAction.parseChain(actions)
      parsed.append((name, actions))
    }
    for (name, actions) in parsed { try set(name, actions) }
    return parsed.map(\.0)
  }

  /// Evaluates failpoint `name` on the calling thread: sleeps, pauses, prints or kills the
  /// process as configured.
  /// - Returns: nil to go on as usual, or `.some(argument)` when the point says `return`.
  @inline(__always)
  public static func evaluate(_ name: String) -> String?? {
    guard anyConfigured.load(ordering: .acquiring) else { return nil }
    return evaluateConfigured(name)
  }

  private static func evaluateConfigured(_ name: String) -> String?? {
    guard let (task, version) = nextTask(name) else { return nil }
    switch task {
    case .off:
      return nil
    case .returnValue(let argument):
      return .some(argument)
    case .sleep(let milliseconds):
      Thread.sleep(forTimeInterval: Double(milliseconds) / 1000)  // the injected delay itself
      return nil
    case .pause:
      while registry.withLock({ $0.versions[name] }) == version {
        Thread.sleep(forTimeInterval: 0.005)  // polls for the reconfiguration that resumes it
      }
      return nil
    case .print(let text):
      FileHandle.standardError.write(Data("failpoint \(name): \(text)\n".utf8))
      return nil
    case .panic(let text):
      FileHandle.standardError.write(Data("failpoint \(name) panics: \(text)\n".utf8))
      _exit(134)  // like a crash: no atexit handlers, no flushing
    }
  }

  /// The task to carry out now for `name` (using up counts), with the point's version.
  private static func nextTask(_ name: String) -> (FailAction.Task, UInt64)? {
    registry.withLock { registry -> (FailAction.Task, UInt64)? in
      guard var chain = registry.points[name] else { return nil }
      defer { registry.points[name] = chain }
      while let first = chain.first, first.remaining == 0 { chain.removeFirst() }
      guard let step = chain.first else { return nil }
      if step.percent < 100, Int(registry.random.next() % 100) >= step.percent {
        return nil
      }
      if let remaining = step.remaining { chain[0].remaining = remaining - 1 }
      return (step.task, registry.versions[name, default: 0])
    }
  }
}
