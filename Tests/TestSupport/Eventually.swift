import Foundation

/// Polls `condition` until it holds or `timeout` passes: the way tests wait, instead of sleeping
/// a fixed time.
/// - Throws: `TestFailure` naming `what` when the deadline passes.
public func eventually(
  _ what: String, timeout: Duration = .seconds(10), every interval: Duration = .milliseconds(20),
  _ condition: () async throws -> Bool
) async throws {
  let deadline = ContinuousClock.now + timeout
  while ContinuousClock.now < deadline {
    if try await condition() { return }
    try await Task.sleep(for: interval)
  }
  if try await condition() { return }
  throw TestFailure("timed out after \(timeout) waiting for \(what)")
}
