import Client
import Foundation
import Synchronization
import TestSupport
import Testing

@Suite("Concurrent requests")
struct ConcurrentRoutingTests {
  /// A flag the writers wait on halfway, so that the topology changes between their halves.
  final class Gate: Sendable {
    let isOpen = Atomic(false)
    let arrived = Atomic(0)
  }

  @Test("concurrent writers share one cache while a leader moves and a region splits")
  func writersRideOutLeaderMoveAndSplit() async throws {
    let writers = 8
    let keysPerWriter = 60
    let gate = Gate()
    try await FakeCluster.run { cluster in
      try await ClusterRawClient.connect(directory: cluster.directory, options: .fast) { kv in
        try await withThrowingTaskGroup(of: Void.self) { group in
          for writer in 0..<writers {
            group.addTask {
              for index in 0..<keysPerWriter {
                if index == keysPerWriter / 2 {
                  gate.arrived.add(1, ordering: .relaxed)
                  try await eventually("the topology change", timeout: .seconds(30)) {
                    gate.isOpen.load(ordering: .relaxed)
                  }
                }
                // Regions 1, 2 (both halves after the split) and 3 in turn.
                let key = ["a", "h", "m", "p"][index % 4] + "\(writer)-\(index)"
                try await kv.put(bytes(key), bytes(key))
              }
            }
          }
          try await eventually("every writer halfway", timeout: .seconds(30)) {
            gate.arrived.load(ordering: .relaxed) == writers
          }
          cluster.setLeader(region: 1, store: 3)
          cluster.split(region: 2, at: "k", newID: 4, newLeader: 1)
          gate.isOpen.store(true, ordering: .relaxed)
          try await group.waitForAll()
        }
      }
      let served = cluster.stores.values.flatMap(\.served)
      #expect(served.count == writers * keysPerWriter)
      #expect(Set(served.map(\.key)).count == writers * keysPerWriter)
      #expect(cluster.store(3).served.contains { $0.region == 1 })
      #expect(cluster.store(1).served.contains { $0.region == 4 })
      // The stores' answers were enough: each writer asked the directory at most once per
      // region (when their first requests missed together).
      #expect(cluster.directory.state.withLock { $0.regionByKeyCalls } <= 3 * writers)
    }
  }
}
