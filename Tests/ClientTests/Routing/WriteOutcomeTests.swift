import Client
import Foundation
import Testing
import TinyKVProto

/// Writes whose outcome is unknown, over the real loopback transport: resent within the write
/// session, surfaced as `undetermined` without one; and no spinning between a follower's stale
/// hint and the dead store it names.
@Suite("Writes of unknown outcome")
struct WriteOutcomeTests {
  /// Store 1 (the leader the directory names) serves the put and never answers; store 2 leads
  /// once it has.
  private func storeAppliesAndHangs(
    sessions: Bool, _ body: (FakeCluster, RoutingOptions) async throws -> Void
  ) async throws {
    try await FakeCluster.run { cluster in
      cluster.setLeader(region: 1, store: 1)
      cluster.store(1).script(.serveThenStall)
      // Once store 1 has served, the others elect store 2.
      let election = Task {
        while cluster.store(1).served.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        cluster.setLeader(region: 1, store: 2)
      }
      defer { election.cancel() }
      var options = RoutingOptions.fast
      // Long enough that no other attempt (a new connection to store 2 included) times out on a
      // loaded machine and is resent, which would add requests the tests count.
      options.attemptTimeout = .seconds(3)
      options.writeSessions = sessions
      try await body(cluster, options)
    }
  }

  @Test("a write applied by a store that then hangs is resent within its session, marked")
  func sessionResendMarked() async throws {
    try await storeAppliesAndHangs(sessions: true) { cluster, options in
      try await ClusterRawClient.connect(directory: cluster.directory, options: options) { kv in
        try await kv.put(bytes("a"), bytes("1"))
        try await kv.put(bytes("b"), bytes("2"))
      }
      let first = try #require(cluster.store(1).writeSessions.first)
      #expect(!first.resend)
      let resent = cluster.store(2).writeSessions
      try #require(resent.count == 2)
      // The same write (session and number), now marked as a resend; the next write is not.
      #expect(resent[0].id == first.id && resent[0].sequence == first.sequence && resent[0].resend)
      #expect(resent[1].id == first.id && resent[1].sequence == first.sequence + 1)
      #expect(!resent[1].resend)
      // Once the first write was answered, the client tells the regions it is done with it.
      #expect(resent[1].completedBelow == first.sequence + 1)
    }
  }

  @Test("without a session, a write applied by a store that then hangs is undetermined")
  func noSessionUndetermined() async throws {
    try await storeAppliesAndHangs(sessions: false) { cluster, options in
      try await ClusterRawClient.connect(directory: cluster.directory, options: options) { kv in
        let failure = await expectUndetermined { try await kv.put(bytes("a"), bytes("1")) }
        #expect(failure?.attempts == 1)
      }
      // Applied once by store 1, never resent to store 2.
      #expect(cluster.store(1).served.map(\.key) == [bytes("a")])
      #expect(cluster.store(2).requests == 0)
    }
  }

  @Test("an undetermined answer is resent within the session, and surfaces without one")
  func undeterminedRegionError() async throws {
    var undetermined = Errorpb_Error()
    undetermined.message = "outcome unknown: the peer was removed"
    undetermined.undeterminedResult = Errorpb_UndeterminedResult()
    for sessions in [true, false] {
      try await FakeCluster.run { cluster in
        cluster.store(1).script(.regionError(undetermined))
        var options = RoutingOptions.fast
        options.writeSessions = sessions
        try await ClusterRawClient.connect(directory: cluster.directory, options: options) { kv in
          if sessions {
            try await kv.put(bytes("a"), bytes("1"))
            #expect(cluster.store(1).writeSessions.map(\.resend) == [false, true])
          } else {
            await #expect(throws: KVClientError.self) { try await kv.put(bytes("a"), bytes("1")) }
            #expect(cluster.store(1).requests == 1)
          }
        }
      }
    }
  }

  @Test("a region that no longer knows the session ends the write as undetermined")
  func sessionUnknownSurfaces() async throws {
    var unknown = Errorpb_Error()
    unknown.message = "outcome unknown: session not known"
    unknown.undeterminedResult.sessionUnknown = true
    try await FakeCluster.run { cluster in
      cluster.store(1).script(.regionError(unknown))
      try await ClusterRawClient.connect(directory: cluster.directory, options: .fast) { kv in
        _ = await expectUndetermined { try await kv.put(bytes("a"), bytes("1")) }
      }
      #expect(cluster.store(1).requests == 1)
    }
  }

  @Test("a follower naming a dead leader is asked again only after a pause")
  func noSpinBetweenHintAndDeadStore() async throws {
    try await FakeCluster.run { cluster in
      // Store 1 is down; the others still believe it leads (an election is yet to happen).
      await cluster.stop(store: 1)
      cluster.setLeader(region: 1, store: 1)
      var options = RoutingOptions.fast
      options.timeout = .seconds(2)
      options.backoff = Backoff(initial: .milliseconds(20), maximum: .milliseconds(200))
      _ = try await ClusterRawClient.connect(directory: cluster.directory, options: options) { kv in
        await #expect(throws: KVClientError.self) { _ = try await kv.get(bytes("a")) }
      }
      // With a pause on every turn, about 2 s / 200 ms turns; spinning made thousands.
      let asked = cluster.store(2).requests + cluster.store(3).requests
      #expect(asked < 60, "the followers were asked \(asked) times in 2 s")
      #expect(cluster.directory.state.withLock { $0.storeCalls } < 60)
    }
  }
}
