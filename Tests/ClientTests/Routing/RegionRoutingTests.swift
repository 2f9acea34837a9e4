import Client
import Foundation
import Testing
import TinyKVProto

@Suite("Routing requests to region leaders")
struct RegionRoutingTests {
  @Test("each key goes to the leader of the region holding it")
  func routesToRegionLeaders() async throws {
    try await FakeCluster.run { cluster in
      try await ClusterRawClient.connect(directory: cluster.directory, options: .fast) { kv in
        for key in ["a", "h", "p"] { try await kv.put(bytes(key), bytes("v-" + key)) }
        #expect(try await kv.get(bytes("h")) == bytes("v-h"))
        #expect(try await kv.get(bytes("zz")) == nil)
        try await kv.delete(bytes("p"))
        #expect(try await kv.get(bytes("p")) == nil)
      }
      #expect(cluster.store(1).served.map(\.region) == [1])
      #expect(cluster.store(2).served.map(\.region) == [2, 2])
      #expect(cluster.store(3).served.map(\.region) == [3, 3, 3, 3])
      #expect(cluster.store(1).served.map(\.key) == [bytes("a")])
    }
  }

  @Test("cache hits do not ask the directory")
  func cacheHitsSkipTheDirectory() async throws {
    try await FakeCluster.run { cluster in
      try await ClusterRawClient.connect(directory: cluster.directory, options: .fast) { kv in
        for key in ["a", "h", "p"] { _ = try await kv.get(bytes(key)) }
        let afterMisses = cluster.directory.state.withLock { $0 }
        #expect(afterMisses.regionByKeyCalls == 3)
        #expect(afterMisses.storeCalls == 3)
        for round in 0..<10 {
          for key in ["b\(round)", "i\(round)", "q\(round)"] {
            try await kv.put(bytes(key), bytes("v"))
          }
        }
        #expect(cluster.directory.state.withLock { $0.calls } == afterMisses.calls)
      }
    }
  }

  @Test("a NotLeader hint is followed to the leader's store at once, and remembered")
  func followsNotLeaderHint() async throws {
    try await FakeCluster.run { cluster in
      cluster.setLeader(region: 1, store: 2)
      try await ClusterRawClient.connect(directory: cluster.directory, options: .fast) { kv in
        try await kv.put(bytes("a"), bytes("1"))
        try await kv.put(bytes("b"), bytes("2"))
        #expect(try await kv.get(bytes("a")) == bytes("1"))
      }
      #expect(cluster.store(1).requests == 1)
      #expect(cluster.store(1).served.isEmpty)
      #expect(cluster.store(2).served.map(\.key) == [bytes("a"), bytes("b"), bytes("a")])
    }
  }

  @Test("an unknown leader is found by asking the other peers")
  func findsUnknownLeaderThroughPeers() async throws {
    try await FakeCluster.run { cluster in
      cluster.setLeader(region: 1, store: 3)
      // Store 1 has not heard of the new leader; the others have.
      cluster.store(1).state.withLock { $0.replicas[1]?.leader = nil }
      try await ClusterRawClient.connect(directory: cluster.directory, options: .fast) { kv in
        try await kv.put(bytes("a"), bytes("1"))
      }
      #expect(cluster.store(3).served.map(\.region) == [1])
    }
  }

  @Test("EpochNotMatch after a split replaces the cached region; the write lands in the new one")
  func epochNotMatchAfterSplit() async throws {
    try await FakeCluster.run { cluster in
      try await ClusterRawClient.connect(directory: cluster.directory, options: .fast) { kv in
        try await kv.put(bytes("h"), bytes("before"))
        cluster.split(region: 2, at: "k", newID: 4, newLeader: 3)
        try await kv.put(bytes("m"), bytes("after"))
        try await kv.put(bytes("i"), bytes("left"))
      }
      #expect(cluster.store(3).served.map(\.region) == [4])
      #expect(cluster.store(3).served.map(\.key) == [bytes("m")])
      #expect(cluster.store(2).served.map(\.key) == [bytes("h"), bytes("i")])
      // The store's answer was enough: the stale directory was asked once, for "h".
      #expect(cluster.directory.state.withLock { $0.regionByKeyCalls } == 1)
    }
  }

  @Test(
    "KeyNotInRegion, RegionNotFound and a useless EpochNotMatch drop the cached region and look it up again",
    arguments: ["KeyNotInRegion", "RegionNotFound", "EpochNotMatch with older regions"])
  func staleRegionIsRefreshed(kind: String) async throws {
    var error = Errorpb_Error()
    switch kind {
    case "KeyNotInRegion":
      error.keyNotInRegion.key = bytes("a")
      error.keyNotInRegion.regionID = 1
    case "RegionNotFound":
      error.regionNotFound.regionID = 1
    default:
      error.epochNotMatch.currentRegions = [FakeCluster.makeRegion(1, from: "", to: "", version: 0)]
    }
    try await FakeCluster.run { cluster in
      try await ClusterRawClient.connect(directory: cluster.directory, options: .fast) { kv in
        try await kv.put(bytes("a"), bytes("1"))
        cluster.store(1).script(.regionError(error))
        try await kv.put(bytes("b"), bytes("2"))
      }
      #expect(cluster.store(1).served.map(\.key) == [bytes("a"), bytes("b")])
      #expect(cluster.store(1).requests == 3)
      #expect(cluster.directory.state.withLock { $0.regionByKeyCalls } == 2)
    }
  }

  @Test("a busy store is retried after growing pauses until it serves")
  func busyStoreIsRetriedWithBackoff() async throws {
    try await FakeCluster.run { cluster in
      cluster.store(1).script(.busy, .busy, .busy)
      let clock = ContinuousClock()
      let started = clock.now
      try await ClusterRawClient.connect(directory: cluster.directory, options: .fast) { kv in
        try await kv.put(bytes("a"), bytes("1"))
      }
      // Pauses of at least half of 10, 20 and 40 ms.
      #expect(clock.now - started >= .milliseconds(35))
      #expect(cluster.store(1).requests == 4)
      #expect(cluster.store(1).served.map(\.key) == [bytes("a")])
    }
  }

  @Test("StaleCommand is retried at once, with the cache as it was")
  func staleCommandRetried() async throws {
    var stale = Errorpb_Error()
    stale.staleCommand = Errorpb_StaleCommand()
    try await FakeCluster.run { cluster in
      cluster.store(2).script(.regionError(stale), .regionError(stale))
      try await ClusterRawClient.connect(directory: cluster.directory, options: .fast) { kv in
        try await kv.put(bytes("h"), bytes("1"))
      }
      #expect(cluster.store(2).requests == 3)
      #expect(cluster.store(2).served.map(\.key) == [bytes("h")])
      #expect(cluster.directory.state.withLock { $0.regionByKeyCalls } == 1)
    }
  }

  @Test("a read whose store does not answer within the attempt timeout goes to another peer")
  func hungStoreReadLeftForAnotherPeer() async throws {
    try await FakeCluster.run { cluster in
      cluster.setLeader(region: 1, store: 2)
      cluster.store(1).script(.stall)
      var options = RoutingOptions.fast
      // Long enough that no other attempt (a new connection to store 2 included) times out on a
      // loaded machine and is asked again.
      options.attemptTimeout = .seconds(3)
      try await ClusterRawClient.connect(directory: cluster.directory, options: options) { kv in
        let value = try await kv.get(bytes("a"))
        #expect(value == nil)
      }
      #expect(cluster.store(1).served.isEmpty)
      #expect(cluster.store(2).served.map(\.key) == [bytes("a")])
    }
  }

  @Test("a store that is down is left for the peer that leads now, with or without a session")
  func storeDownRetriedOnAnotherPeer() async throws {
    for sessions in [true, false] {
      try await FakeCluster.run { cluster in
        await cluster.stop(store: 1)
        cluster.setLeader(region: 1, store: 2)
        var options = RoutingOptions.fast
        options.writeSessions = sessions
        try await ClusterRawClient.connect(directory: cluster.directory, options: options) { kv in
          // Nothing reached store 1: the write goes on to store 2 even without a session.
          try await kv.put(bytes("a"), bytes("1"))
          #expect(try await kv.get(bytes("a")) == bytes("1"))
        }
        #expect(cluster.store(2).served.map(\.key) == [bytes("a"), bytes("a")])
        #expect(cluster.store(2).writeSessions.map(\.resend) == (sessions ? [false] : []))
      }
    }
  }

  @Test("when nothing can serve, the deadline ends the request with what went wrong")
  func deadlineReportsLastRegionError() async throws {
    try await FakeCluster.run { cluster in
      cluster.setLeader(region: 1, store: nil)
      var options = RoutingOptions.fast
      // Long enough for a few attempts even on a loaded machine (each needs a round trip).
      options.timeout = .seconds(2)
      let clock = ContinuousClock()
      let started = clock.now
      try await ClusterRawClient.connect(directory: cluster.directory, options: options) { kv in
        // A read: the deadline may cut an attempt short after it went out, which leaves a
        // write of unknown outcome (`undetermined`, WriteOutcomeTests) but a read unroutable.
        let error = await #expect(throws: KVClientError.self) { try await kv.get(bytes("a")) }
        guard case .unroutable(let failure)? = error else {
          Issue.record("expected an unroutable error, got \(String(describing: error))")
          return
        }
        #expect(failure.operation == "raw get")
        #expect(failure.attempts >= 2)
        #expect(failure.elapsed >= .seconds(2))
        #expect(failure.lastRegionError?.hasNotLeader == true)
        #expect(failure.description.contains("gave up after"))
      }
      #expect(clock.now - started < .seconds(15))
    }
  }
}
