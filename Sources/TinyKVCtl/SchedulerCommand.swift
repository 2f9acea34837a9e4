import ArgumentParser
import Client
import Foundation
import TinyKVProto

/// `tinykv-ctl scheduler ...`: the operator's view of the cluster (pd-ctl's role).
struct SchedulerCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "scheduler",
    abstract:
      "Show the cluster as the scheduler sees it (stores, regions, operators, config, TSO); "
      + "transfer leaders and move peers by hand.",
    subcommands: [
      Stores.self, Store.self, Regions.self, Region.self, RegionKey.self, Operators.self,
      Config.self, TSO.self, TransferLeader.self, MovePeer.self,
    ])

  /// Options every scheduler command takes.
  struct Options: ParsableArguments {
    @Option(help: "Address of the scheduler (host:port or http://host:port).")
    var scheduler = "127.0.0.1:2379"

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func withClient<T: Sendable>(_ body: (SchedulerClient) async throws -> T) async throws -> T {
      let endpoint: HostAndPort
      do { endpoint = try HostAndPort(parsing: scheduler) } catch {
        throw ValidationError("--scheduler: \(error)")
      }
      var options = SchedulerClient.Options()
      options.retryTimeout = .seconds(3)
      return try await SchedulerClient.connect(to: endpoint, options: options, body)
    }

    /// Prints `value` as pretty JSON.
    func printJSON(_ value: Any) throws {
      let data = try JSONSerialization.data(
        withJSONObject: value, options: [.prettyPrinted, .sortedKeys])
      print(String(decoding: data, as: UTF8.self))
    }
  }

  struct Stores: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the stores.")
    @OptionGroup var options: Options

    func run() async throws {
      let stores = try await options.withClient { try await $0.stores() }
      if options.json { return try options.printJSON(stores.map(JSONView.store)) }
      print("ID\tSTATE\tADDRESS")
      for store in stores { print("\(store.id)\t\(store.state)\t\(store.address)") }
    }
  }

  struct Store: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Show one store and its last statistics.")
    @OptionGroup var options: Options
    @Argument(help: "The store id.") var id: UInt64

    func run() async throws {
      let (store, stats) = try await options.withClient { try await $0.store(id: id) }
      var view = JSONView.store(store)
      if let stats {
        view["stats"] =
          [
            "capacity": stats.capacity, "available": stats.available, "used_size": stats.usedSize,
            "region_count": stats.regionCount, "is_busy": stats.isBusy,
          ] as [String: Any]
      }
      if options.json { return try options.printJSON(view) }
      print("store \(store.id) at \(store.address), \(store.state)")
      if let stats {
        print(
          "  regions \(stats.regionCount), capacity \(stats.capacity), available \(stats.available), used \(stats.usedSize)"
        )
      }
    }
  }

  struct Regions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List regions in key order.")
    @OptionGroup var options: Options
    @Option(help: "At most this many regions (0: all).") var limit: Int32 = 0

    func run() async throws {
      let regions = try await options.withClient { try await $0.scanRegions(limit: limit) }
      if options.json { return try options.printJSON(regions.map(JSONView.location)) }
      print("ID\tSTART\tEND\tEPOCH\tLEADER\tPEERS")
      for location in regions { print(Text.region(location)) }
    }
  }

  struct Region: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the region with an id.")
    @OptionGroup var options: Options
    @Argument(help: "The region id.") var id: UInt64

    func run() async throws {
      let location = try await options.withClient { try await $0.region(id: id) }
      try show(location, options)
    }
  }

  struct RegionKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "region-key", abstract: "Show the region holding a key.")
    @OptionGroup var options: Options
    @Flag(help: "Read the key as hex.") var hex = false
    @Argument(help: "The key.") var key: String

    func run() async throws {
      let key = try ByteText.parse(key, hex: hex)
      let location = try await options.withClient { try await $0.region(containing: key) }
      try show(location, options)
    }
  }

  struct Operators: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Show each region's running or last operator.")
    @OptionGroup var options: Options

    func run() async throws {
      let operators = try await options.withClient { client in
        var found: [Schedulerpb_GetOperatorResponse] = []
        for location in try await client.scanRegions() {
          do {
            found.append(try await client.operator(regionID: location.region.id))
          } catch let error as SchedulerClientError where error.type == .regionNotFound {
            continue  // no operator for this region
          }
        }
        return found
      }
      if options.json {
        return try options.printJSON(
          operators.map {
            [
              "region_id": $0.regionID, "status": "\($0.status)",
              "kind": String(decoding: $0.kind, as: UTF8.self),
              "desc": String(decoding: $0.desc, as: UTF8.self),
            ] as [String: Any]
          })
      }
      if operators.isEmpty { print("no operators") }
      for op in operators {
        print("region \(op.regionID)\t\(op.status)\t\(String(decoding: op.desc, as: UTF8.self))")
      }
    }
  }

  struct Config: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the cluster config.")
    @OptionGroup var options: Options

    func run() async throws {
      let cluster = try await options.withClient { try await $0.clusterConfig() }
      if options.json {
        return try options.printJSON([
          "cluster_id": cluster.id, "max_peer_count": cluster.maxPeerCount,
        ])
      }
      print("cluster id \(cluster.id), max replicas \(cluster.maxPeerCount)")
    }
  }

  struct TSO: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "tso", abstract: "Get a timestamp and show its parts.")
    @OptionGroup var options: Options

    func run() async throws {
      let ts = try await options.withClient { try await $0.timestamp() }
      let physical = Int64(ts >> 18)
      let logical = Int64(ts & ((1 << 18) - 1))
      let time = ISO8601DateFormatter().string(
        from: Date(timeIntervalSince1970: Double(physical) / 1000))
      if options.json {
        return try options.printJSON([
          "timestamp": ts, "physical": physical, "logical": logical, "time": time,
        ])
      }
      print("\(ts)\tphysical \(physical) (\(time)), logical \(logical)")
    }
  }
}

private func show(_ location: RegionLocation?, _ options: SchedulerCommand.Options) throws {
  guard let location else {
    FileHandle.standardError.write(Data("region not found\n".utf8))
    throw ExitCode(1)
  }
  if options.json { return try options.printJSON(JSONView.location(location)) }
  print("ID\tSTART\tEND\tEPOCH\tLEADER\tPEERS")
  print(Text.region(location))
}

/// Plain dictionaries for `--json` (keys as in TinyKV's protobuf field names).
private enum JSONView {
  static func store(_ store: Metapb_Store) -> [String: Any] {
    ["id": store.id, "address": store.address, "state": "\(store.state)"]
  }

  static func peer(_ peer: Metapb_Peer) -> [String: Any] {
    ["id": peer.id, "store_id": peer.storeID]
  }

  static func location(_ location: RegionLocation) -> [String: Any] {
    var view: [String: Any] = [
      "id": location.region.id,
      "start_key": ByteText.escape(location.region.startKey),
      "end_key": ByteText.escape(location.region.endKey),
      "region_epoch": [
        "conf_ver": location.region.regionEpoch.confVer,
        "version": location.region.regionEpoch.version,
      ],
      "peers": location.region.peers.map(peer),
    ]
    if let leader = location.leader { view["leader"] = peer(leader) }
    return view
  }
}

private enum Text {
  static func region(_ location: RegionLocation) -> String {
    let region = location.region
    let peers = region.peers.map { "\($0.id)@\($0.storeID)" }.joined(separator: ",")
    let leader = location.leader.map { "\($0.id)@\($0.storeID)" } ?? "-"
    let end = region.endKey.isEmpty ? "+inf" : ByteText.escape(region.endKey)
    return
      "\(region.id)\t\(ByteText.escape(region.startKey))\t\(end)\tv\(region.regionEpoch.version)/c\(region.regionEpoch.confVer)\t\(leader)\t\(peers)"
  }
}
