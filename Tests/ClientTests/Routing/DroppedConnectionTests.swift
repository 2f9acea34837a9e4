import Client
import Foundation
import Testing
import TinyKVProto

/// A connection lost after the request went out, over the real loopback transport: grpc-swift
/// answers `unavailable`, as it does when nothing was sent, and the client must still class
/// the attempt as of unknown outcome (the store may have applied the write); on the batch
/// stream (`batched`) and as a unary call.
@Suite("Connections dropped mid-call")
struct DroppedConnectionTests {
  /// Store 1, behind a relay, serves the put and does not answer; once it has served, store 2
  /// leads and the relay cuts store 1's connections. `body` gets the options (a long attempt
  /// timeout, so that only the drop can end the attempt early) and the time the put took.
  private func storeAppliesThenConnectionDrops(
    sessions: Bool, batched: Bool,
    _ body: (FakeCluster, () async throws -> Duration) async throws -> Void
  ) async throws {
    try await FakeCluster.run { cluster in
      let relay = try await cluster.relay(store: 1)
      cluster.setLeader(region: 1, store: 1)
      cluster.store(1).script(.serveThenStall)
      let drop = Task {
        while cluster.store(1).served.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        cluster.setLeader(region: 1, store: 2)
        relay.dropAll()
      }
      defer { drop.cancel() }
      var options = RoutingOptions.fast
      options.attemptTimeout = .seconds(20)
      options.timeout = .seconds(30)
      options.writeSessions = sessions
      options.batchCommands = batched
      do {
        try await ClusterRawClient.connect(directory: cluster.directory, options: options) {
          kv in
          try await body(cluster) {
            try await ContinuousClock().measure { try await kv.put(bytes("a"), bytes("1")) }
          }
        }
      } catch {
        await relay.stop()
        throw error
      }
      await relay.stop()
    }
  }

  @Test(
    "a write whose connection drops after the store applied it is resent in its session",
    arguments: [true, false])
  func droppedMidCallResentInSession(batched: Bool) async throws {
    try await storeAppliesThenConnectionDrops(sessions: true, batched: batched) {
      cluster, put in
      let took = try await put()
      // The drop, not the 20 s attempt timeout, ended the first attempt.
      #expect(took < .seconds(10), "the put took \(took)")
      let first = try #require(cluster.store(1).writeSessions.first)
      #expect(!first.resend)
      let resent = try #require(cluster.store(2).writeSessions.first)
      #expect(resent.id == first.id && resent.sequence == first.sequence && resent.resend)
      #expect(cluster.store(2).served.map(\.key) == [bytes("a")])
    }
  }

  @Test(
    "without a session, a write whose connection drops mid-call is undetermined, not resent",
    arguments: [true, false])
  func droppedMidCallUndetermined(batched: Bool) async throws {
    try await storeAppliesThenConnectionDrops(sessions: false, batched: batched) {
      cluster, put in
      let clock = ContinuousClock()
      let start = clock.now
      let failure = await expectUndetermined { _ = try await put() }
      #expect(clock.now - start < .seconds(10), "the put took \(clock.now - start)")
      #expect(failure?.attempts == 1)
      #expect(cluster.store(1).served.map(\.key) == [bytes("a")])
      #expect(cluster.store(2).requests == 0)
    }
  }
}
