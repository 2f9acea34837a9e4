import ArgumentParser
import Engine
import Foundation
import RaftStore
import Storage
import TinyKVProto

/// `tinykv-bench raftstore`: a replicated region of N stores in this process, with real
/// engines and fsync, driven through `RaftStorage` (no RPC layer), at several in-flight counts.
struct RaftStoreBench: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "raftstore",
    abstract: "Writes to an in-process replicated region: writes/s, latency, fsyncs per write.",
    discussion: """
      Starts --stores stores in this process (engines under --path, removed afterwards unless \
      --keep), bootstraps one region with a peer on each, and puts random keys through the \
      leader's RaftStorage at each in-flight count. Every write is synced to the raft engine \
      of a majority before it is acknowledged, as in production; no gRPC is involved, so the \
      figures are the raft store's own ceiling. The fsyncs per write of the leader's raft \
      engine show the group commit at work.

      Example:
        tinykv-bench raftstore --in-flight 1,16,64,256 --duration 5
      """)

  @Option(help: "Stores (replicas) in the region.")
  var stores = 3

  @Option(help: "In-flight counts to measure, comma-separated.")
  var inFlight = "1,16,64,256"

  @Option(help: "Seconds per in-flight count.")
  var duration: Double = 5

  @Option(help: "Size of the key space: keys 0 ..< N.")
  var keys = 100_000

  @Option(help: "Bytes per value.")
  var valueSize = 100

  @Option(help: "Folder for the stores' engines (default: a new temporary folder).")
  var path: String?

  @Flag(help: "Keep the engines' folder afterwards.")
  var keep = false

  @Option(help: "Seed of the key and value choices (printed with the result).")
  var seed: UInt64 = 42

  var levels: [Int] { inFlight.split(separator: ",").compactMap { Int($0) } }

  mutating func validate() throws {
    guard (1...7).contains(stores) else { throw ValidationError("--stores must be 1 to 7") }
    guard !levels.isEmpty, levels.allSatisfy({ $0 > 0 }),
      levels.count == inFlight.split(separator: ",").count
    else { throw ValidationError("--in-flight must list positive integers, e.g. 1,16,64") }
    guard duration > 0 else { throw ValidationError("--duration must be positive") }
    guard keys > 0 else { throw ValidationError("--keys must be positive") }
    guard valueSize >= 0 else { throw ValidationError("--value-size must not be negative") }
  }

  func run() async throws {
    let folder = path ?? FileManager.default.temporaryDirectory.path + "/raftstore-bench-\(seed)"
    if path == nil { try? FileManager.default.removeItem(atPath: folder) }
    defer { if !keep { try? FileManager.default.removeItem(atPath: folder) } }
    let group = try LocalRegion(stores: stores, folder: folder)
    defer { group.stop() }
    let leader = try await group.waitForLeader()
    let storage = RaftStorage(store: leader)
    let context = group.context(for: leader)
    let keySpace = KeySpace(count: keys, keySize: 16, valueSize: valueSize)
    print("raftstore: \(stores) stores, leader on store \(leader.storeID), folder \(folder)")
    for level in levels {
      let syncsBefore = leader.statistics.syncedWrites
      let runner = LoadRunner(
        concurrency: level, stop: .afterDuration(.milliseconds(Int(duration * 1000))), seed: seed)
      let result = await runner.run("raftstore-put") { _, _, random in
        let key = keySpace.key(keySpace.randomIndex(&random))
        try await storage.write(context, [.put(.default, key: key, value: keySpace.value(&random))])
      }
      let syncs = leader.statistics.syncedWrites - syncsBefore
      print(result.report())
      let perWrite = Double(syncs) / Double(max(1, result.operations))
      print("  leader raft-engine fsyncs: \(syncs), \(String(format: "%.3f", perWrite)) per write")
    }
  }
}

/// One region replicated over `stores` stores in this process, connected directly.
private final class LocalRegion: Sendable {
  let stores: [RaftStore]

  init(stores count: Int, folder: String) throws {
    let transport = LocalTransport()
    let region = Metapb_Region.spanning(stores: Array(1...UInt64(count)))
    var stores: [RaftStore] = []
    for id in 1...UInt64(count) {
      var raftOptions = DatabaseOptions()
      raftOptions.columnFamilies = [.default]
      let raftDB = try Database(path: "\(folder)/store-\(id)/raft", options: raftOptions)
      let kvDB = try Database(path: "\(folder)/store-\(id)/kv")
      let snapshots = try SnapshotManager(directory: "\(folder)/store-\(id)/snap")
      try RaftStore.bootstrap(region: region, raftDB: raftDB, kvDB: kvDB)
      let store = RaftStore(
        storeID: id, raftDB: raftDB, kvDB: kvDB, snapshots: snapshots, transport: transport)
      transport.add(store)
      stores.append(store)
    }
    self.stores = stores
    for store in stores { try store.start() }
  }

  func context(for store: RaftStore) -> Kvrpcpb_Context {
    var context = Kvrpcpb_Context()
    context.regionID = 1
    context.peer.id = store.storeID
    context.peer.storeID = store.storeID
    return context
  }

  /// The store whose peer accepts a write (polled for up to 30 s: elections take 1-2 s).
  func waitForLeader() async throws -> RaftStore {
    let deadline = ContinuousClock.now + .seconds(30)
    while ContinuousClock.now < deadline {
      for store in stores {
        let probe: [Modification] = [.put(.default, key: Data("probe".utf8), value: Data())]
        if (try? await RaftStorage(store: store).write(context(for: store), probe)) != nil {
          return store
        }
      }
      try await Task.sleep(for: .milliseconds(100))
    }
    throw ValidationError("no leader was elected within 30 s")
  }

  func stop() {
    for store in stores {
      store.stop()
      store.raftDB.close()
      store.kvDB.close()
    }
  }
}
