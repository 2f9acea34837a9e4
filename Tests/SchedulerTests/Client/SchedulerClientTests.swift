import Client
import Foundation
import SchedulerFixture
import Testing
import TinyKVProto

@testable import Scheduler

@Suite("Scheduler client")
struct SchedulerClientTests {
  /// Runs `body` with a client of a scheduler served in-process on a free loopback port.
  func withClient(
    _ body: @Sendable (SchedulerClient, SchedulerNode) async throws -> Void
  ) async throws {
    let test = try TestNode()
    try await withInProcessScheduler(test.node) { client in try await body(client, test.node) }
  }

  @Test("concurrent timestamp callers are coalesced into fewer, batched requests")
  func tsoCoalesced() async throws {
    try await withClient { client, node in
      #expect(client.clusterID == node.clusterID)
      let callers = 64
      let rounds = 20
      let timestamps = try await withThrowingTaskGroup(of: [UInt64].self) { group in
        for _ in 0..<callers {
          group.addTask {
            var mine: [UInt64] = []
            for _ in 0..<rounds { mine.append(try await client.timestamp()) }
            return mine
          }
        }
        var all: [UInt64] = []
        for try await list in group {
          #expect(zip(list, list.dropFirst()).allSatisfy { $0 < $1 })
          all += list
        }
        return all
      }
      #expect(Set(timestamps).count == callers * rounds)
      #expect(node.tso.requestCount < callers * rounds)
    }
  }

  @Test("header errors come back as TinyKV's error types")
  func headerErrors() async throws {
    try await withClient { client, _ in
      await #expect {
        _ = try await client.region(containing: Data())
      } throws: { error in
        (error as? SchedulerClientError)?.type == .notBootstrapped
      }
      var store = Metapb_Store()
      store.id = try await client.allocID()
      store.address = "127.0.0.1:20160"
      try await client.bootstrap(store: store)
      #expect(try await client.isBootstrapped())
      #expect(try await client.region(containing: Data()) == nil)
      #expect(try await client.clusterConfig().maxPeerCount == 3)
    }
  }
}
