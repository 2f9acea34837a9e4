import Client
import Foundation
import TestSupport
import Testing
import TinyKVProto

/// The real `tinyscheduler-server` binary, driven through gRPC with the scheduler client.
@Suite("tinyscheduler-server end to end")
struct SchedulerBinaryTests {
  func store(_ id: UInt64) -> Metapb_Store {
    var store = Metapb_Store()
    store.id = id
    store.address = "127.0.0.1:\(30160 + id)"
    return store
  }

  @Test("bootstrap once, heartbeats build the map, TSO and ids never go back across kill -9")
  func survivesKill() async throws {
    let directory = try TemporaryDirectory("scheduler-e2e")
    let port = try FreePort.allocate()
    let statusPort = try FreePort.allocate()
    var server = try await startScheduler(
      port: port, directory: directory, statusPort: statusPort, run: 1)
    let endpoint = HostAndPort(host: "127.0.0.1", port: port)

    let (clusterID, maxTimestamp, maxID) = try await SchedulerClient.connect(to: endpoint) {
      client in
      // Ids work before bootstrap: a store takes its id first.
      var ids = [try await client.allocID()]
      try await client.bootstrap(store: store(1))
      await #expect {
        try await client.bootstrap(store: store(1))
      } throws: { error in
        (error as? SchedulerClientError)?.type == .alreadyBootstrapped
      }
      for id in 2...3 as ClosedRange<UInt64> { try await client.putStore(store(id)) }
      #expect(try await client.stores().map(\.id) == [1, 2, 3])

      // Concurrent TSO callers: every timestamp unique, each caller's strictly increasing.
      let perTask = try await withThrowingTaskGroup(of: [UInt64].self) { group in
        for _ in 0..<8 {
          group.addTask {
            var seen: [UInt64] = []
            for _ in 0..<100 { seen.append(try await client.timestamp()) }
            return seen
          }
        }
        var all: [[UInt64]] = []
        for try await list in group { all.append(list) }
        return all
      }
      for list in perTask { #expect(zip(list, list.dropFirst()).allSatisfy { $0 < $1 }) }
      let timestamps = perTask.flatMap { $0 }
      #expect(Set(timestamps).count == timestamps.count)

      for _ in 0..<20 { ids.append(try await client.allocID()) }
      #expect(Set(ids).count == ids.count)

      // A region with one peer of three: the heartbeat is answered with an add-peer.
      var heartbeat = Schedulerpb_RegionHeartbeatRequest()
      heartbeat.region.id = 100
      heartbeat.region.regionEpoch.version = 1
      heartbeat.region.regionEpoch.confVer = 1
      var leader = Metapb_Peer()
      leader.id = 101
      leader.storeID = 1
      heartbeat.region.peers = [leader]
      heartbeat.leader = leader
      let request = heartbeat
      let reply = try await client.regionHeartbeats(onResponse: { _ in }) { sender in
        sender.send(request)
        // Poll the operator until the scheduler has made one (deadline, no fixed sleep).
        try await eventually("an operator for region 100") {
          (try? await client.operator(regionID: 100)) != nil
        }
        return try await client.operator(regionID: 100)
      }
      #expect(reply.status == .running)
      #expect(String(decoding: reply.kind, as: UTF8.self) == "replica")
      #expect(try await client.region(containing: Data("any key".utf8))?.region.id == 100)
      return (client.clusterID, timestamps.max()!, ids.max()!)
    }

    // The status address: RPCs counted by method, the map as gauges.
    let (code, metrics) = try await httpGet(port: statusPort, "/metrics")
    #expect(code == 200)
    #expect(metrics.contains(#"tinyscheduler_grpc_requests_total{method="PutStore",code="ok"} 2"#))
    #expect(metrics.contains("tinyscheduler_regions 1"))
    #expect(metrics.contains(#"tinyscheduler_stores{state="up"} 3"#))

    // Two connections (two TSO streams) at once: all unique, and a timestamp taken after
    // another was returned is larger, whichever stream each came from.
    let streams = try await withThrowingTaskGroup(of: [UInt64].self) { group in
      for _ in 0..<2 {
        group.addTask {
          try await SchedulerClient.connect(to: endpoint) { client in
            var list: [UInt64] = []
            for _ in 0..<100 { list.append(try await client.timestamp()) }
            return list
          }
        }
      }
      var all: [[UInt64]] = []
      for try await list in group { all.append(list) }
      return all
    }
    let both = streams.flatMap { $0 }
    #expect(Set(both).count == both.count)
    #expect(both.allSatisfy { $0 > maxTimestamp })
    let afterBoth = try await SchedulerClient.connect(to: endpoint) { try await $0.timestamp() }
    #expect(afterBoth > both.max()!)

    #expect(server.stop(signal: SIGKILL) != 0)  // kill -9
    server = try await startScheduler(
      port: port, directory: directory, statusPort: statusPort, run: 2)
    try await SchedulerClient.connect(to: endpoint) {
      (client: SchedulerClient) async throws -> Void in
      #expect(client.clusterID == clusterID)
      #expect(try await client.isBootstrapped())
      #expect(try await client.timestamp() > afterBoth)
      #expect(try await client.allocID() > maxID)
      #expect(try await client.region(id: 100)?.region.peers.count == 1)
    }
    #expect(server.stop(signal: SIGTERM) == 0)  // graceful
  }
}
