import Synchronization

/// The commits in flight on this server and the table revisions they wrote under: an online
/// schema change waits for every commit made under a table's previous revision to finish
/// before it takes the next step, so that at any moment writes use at most two adjacent
/// schema states (F1's invariant).
final class CommitRegistry: Sendable {
  private struct State {
    var nextToken = 0
    var inFlight: [Int: [Int64: Int64]] = [:]
  }

  private let state = Mutex(State())

  /// Records a commit writing tables at these revisions (table id → revision).
  /// - Returns: the token to end it with.
  func begin(_ revisions: [Int64: Int64]) -> Int {
    state.withLock { state in
      state.nextToken += 1
      state.inFlight[state.nextToken] = revisions
      return state.nextToken
    }
  }

  /// The commit `token` finished (committed or not).
  func end(_ token: Int) { state.withLock { _ = $0.inFlight.removeValue(forKey: token) } }

  /// Waits until no commit in flight wrote table `table` under a revision before `revision`.
  func waitForCommits(table: Int64, before revision: Int64) async throws {
    while state.withLock({ state in
      state.inFlight.values.contains { ($0[table] ?? revision) < revision }
    }) {
      try await Task.sleep(for: .milliseconds(5))
    }
  }
}
