import Client
import Foundation
import TestSupport
import Testing
import TinyKVProto

/// `tinykv-ctl cluster status` against the real scheduler binary.
@Suite("tinykv-ctl cluster status")
struct ClusterStatusTests {
  @Test("stores with their state, regions and leaders; regions with range and peers; --json")
  func status() async throws {
    let directory = try TemporaryDirectory("cluster-status")
    let port = try FreePort.allocate()
    let server = try await startScheduler(port: port, directory: directory)
    defer { _ = server.stop() }
    try await SchedulerClient.connect(to: HostAndPort(host: "127.0.0.1", port: port)) { client in
      for id: UInt64 in 1...2 {
        var store = Metapb_Store()
        store.id = id
        store.address = "127.0.0.1:\(20160 + id)"
        if id == 1 {
          try await client.bootstrap(store: store)
        } else {
          try await client.putStore(store)
        }
      }
      var stats = Schedulerpb_StoreStats()
      stats.storeID = 1
      stats.capacity = 10 << 30
      stats.available = 4 << 30
      stats.usedSize = 3 << 20
      stats.interval.endTimestamp = UInt64(Date().timeIntervalSince1970)
      try await client.storeHeartbeat(stats)
      var heartbeat = Schedulerpb_RegionHeartbeatRequest()
      heartbeat.region.id = 10
      heartbeat.region.endKey = Data("m".utf8)
      heartbeat.region.regionEpoch.version = 2
      heartbeat.region.regionEpoch.confVer = 1
      var leader = Metapb_Peer()
      leader.id = 11
      leader.storeID = 1
      heartbeat.region.peers = [leader]
      heartbeat.leader = leader
      let request = heartbeat
      try await client.regionHeartbeats(onResponse: { _ in }) { sender in
        sender.send(request)
        try await eventually("the region is known") {
          try await client.region(id: 10) != nil
        }
      }
    }
    let address = ["--scheduler", "127.0.0.1:\(port)"]
    let text = try runCtl(["cluster", "status"] + address)
    #expect(text.status == 0)
    let lines = text.output.split(separator: "\n").map(String.init)
    #expect(lines.first?.hasPrefix("STORE  ADDRESS") == true, "\(text.output)")
    #expect(lines.contains { $0.hasPrefix("1      127.0.0.1:20161  up") && $0.contains("3.0 MiB") })
    #expect(lines.contains { $0.hasPrefix("2      127.0.0.1:20162  disconnected") })
    #expect(lines.contains { $0.hasPrefix("10      -inf   m    v2/c1  11@1    11@1") })

    let json = try runCtl(["cluster", "status", "--json"] + address)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
    let stores = try #require(object["stores"] as? [[String: Any]])
    #expect(stores.map { $0["state"] as? String } == ["up", "disconnected"])
    #expect(stores.first?["leader_count"] as? Int == 1)
    let regions = try #require(object["regions"] as? [[String: Any]])
    #expect(regions.first?["id"] as? Int == 10)
  }
}
