import ArgumentParser
import Client
import Foundation
import TinyKVProto

/// `tinykv-ctl cluster ...`: the cluster at a glance.
struct ClusterCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cluster", abstract: "The cluster at a glance.", subcommands: [Status.self])

  struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Stores (state, regions, leaders, size) and regions (range, peers, leader).",
      discussion: """
        A store is "up" while its heartbeats arrive, "disconnected" after 20 s without one, \
        "down" after 30 min; "offline" and "tombstone" are the scheduler's own states.
        """)

    @OptionGroup var options: SchedulerCommand.Options

    func run() async throws {
      let (stores, regions) = try await options.withClient { client in
        let regions = try await client.scanRegions()
        var stores: [StoreRow] = []
        for store in try await client.stores() {
          let stats = try await client.store(id: store.id).stats
          stores.append(StoreRow(store: store, stats: stats, regions: regions))
        }
        return (stores, regions)
      }
      if options.json {
        return try options.printJSON([
          "stores": stores.map(\.json), "regions": regions.map(RegionRow.json),
        ])
      }
      var storeTable = TextTable([
        "STORE", "ADDRESS", "STATE", "REGIONS", "LEADERS", "USED", "AVAILABLE", "CAPACITY",
      ])
      for row in stores { storeTable.add(row.cells) }
      print(storeTable.text)
      print()
      var regionTable = TextTable(["REGION", "START", "END", "EPOCH", "LEADER", "PEERS"])
      for location in regions { regionTable.add(RegionRow.cells(location)) }
      print(regions.isEmpty ? "no regions reported yet" : regionTable.text)
    }
  }
}

/// One store's line of `cluster status`.
private struct StoreRow {
  let store: Metapb_Store
  let stats: Schedulerpb_StoreStats?
  let regionCount: Int
  let leaderCount: Int
  let state: String

  init(store: Metapb_Store, stats: Schedulerpb_StoreStats?, regions: [RegionLocation]) {
    self.store = store
    self.stats = stats
    regionCount = regions.filter { $0.region.peers.contains { $0.storeID == store.id } }.count
    leaderCount = regions.filter { $0.leader?.storeID == store.id }.count
    let silent = stats.map { Date().timeIntervalSince1970 - Double($0.interval.endTimestamp) }
    switch store.state {
    case .offline: state = "offline"
    case .tombstone: state = "tombstone"
    default:
      if let silent, silent > 30 * 60 {
        state = "down"
      } else if silent.map({ $0 > 20 }) ?? true {
        state = "disconnected"
      } else {
        state = "up"
      }
    }
  }

  var cells: [String] {
    [
      "\(store.id)", store.address, state, "\(regionCount)", "\(leaderCount)",
      bytes(stats?.usedSize), bytes(stats?.available), bytes(stats?.capacity),
    ]
  }

  var json: [String: Any] {
    var view: [String: Any] = [
      "id": store.id, "address": store.address, "state": state, "region_count": regionCount,
      "leader_count": leaderCount,
    ]
    if let stats {
      view["used_size"] = stats.usedSize
      view["available"] = stats.available
      view["capacity"] = stats.capacity
      view["last_heartbeat"] = stats.interval.endTimestamp
    }
    return view
  }

  private func bytes(_ value: UInt64?) -> String {
    guard let value else { return "-" }
    let units = ["B", "KiB", "MiB", "GiB", "TiB"]
    var amount = Double(value)
    var unit = 0
    while amount >= 1024, unit < units.count - 1 {
      amount /= 1024
      unit += 1
    }
    return unit == 0 ? "\(value) B" : String(format: "%.1f %@", amount, units[unit])
  }
}

/// One region's line of `cluster status`.
private enum RegionRow {
  static func cells(_ location: RegionLocation) -> [String] {
    let region = location.region
    return [
      "\(region.id)", region.startKey.isEmpty ? "-inf" : ByteText.escape(region.startKey),
      region.endKey.isEmpty ? "+inf" : ByteText.escape(region.endKey),
      "v\(region.regionEpoch.version)/c\(region.regionEpoch.confVer)",
      location.leader.map { "\($0.id)@\($0.storeID)" } ?? "-",
      region.peers.map { "\($0.id)@\($0.storeID)" }.joined(separator: ","),
    ]
  }

  static func json(_ location: RegionLocation) -> [String: Any] {
    let region = location.region
    var view: [String: Any] = [
      "id": region.id, "start_key": ByteText.escape(region.startKey),
      "end_key": ByteText.escape(region.endKey), "version": region.regionEpoch.version,
      "conf_ver": region.regionEpoch.confVer,
      "peers": region.peers.map { ["id": $0.id, "store_id": $0.storeID] },
    ]
    if let leader = location.leader {
      view["leader"] = ["id": leader.id, "store_id": leader.storeID]
    }
    return view
  }
}
