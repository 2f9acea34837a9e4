import Engine
import Foundation
import Linearizability
import Raft
import Randomness
import Storage
import Synchronization
import TestSupport
import TinyKVProto

@testable import RaftStore

/// A cluster driven from one thread by a seeded generator: no raft, apply or timer threads.
/// Each step is one event chosen by the seed: deliver (or drop) a pending message, tick a
/// store, run one raft-loop round on a store, run its apply loop, or crash and restart a
/// store. Time is the ticks the seed hands out, so a seed replays exactly (FoundationDB's
/// approach). The stores run the production `RaftPoller` and `Applier`; only the threads and
/// the timer are replaced.
final class SimCluster {
  /// Pending messages between stores, in send order.
  final class QueueTransport: Transport {
    let pending = Mutex<[RaftServerpb_RaftMessage]>([])
    func send(_ message: RaftServerpb_RaftMessage) { pending.withLock { $0.append(message) } }
  }

  /// Results of the writes proposed through ``propose(_:_:)``, filled by their callbacks.
  final class Outcomes: Sendable {
    let state = Mutex<[Int: Result<Void, any Error>]>([:])
  }

  /// Background jobs (log GC, snapshot generation) waiting for a step to run them.
  final class Jobs: Sendable {
    let queue = Mutex<[BackgroundJob]>([])
  }

  /// The test cluster's configuration with a log compacted after a few entries, so lagging
  /// stores need snapshots.
  static var config: RaftStoreConfig {
    var config = Cluster.testConfig
    config.raftLogGCTickInterval = 3
    config.raftLogGCThreshold = 3
    config.raftLogGCCountLimit = 12
    config.snapshotApplyBatchBytes = 256
    return config
  }

  final class Store {
    let raftDB: Database
    let kvDB: Database
    let snapshots: SnapshotManager
    let router = Router()
    var poller: RaftPoller!
    var applier: Applier
    var applyQueue: [ApplyTask] = []
    let jobs = Jobs()
    let localReader: LocalReader

    init(
      storeID: UInt64, raftDB: Database, kvDB: Database, snapshots: SnapshotManager,
      transport: QueueTransport, localReader: LocalReader
    ) throws {
      self.localReader = localReader
      self.raftDB = raftDB
      self.kvDB = kvDB
      self.snapshots = snapshots
      let jobs = jobs
      let queue: @Sendable (@escaping BackgroundJob) -> Void = { job in
        jobs.queue.withLock { $0.append(job) }
      }
      let context = PeerContext(
        storeID: storeID, config: SimCluster.config, router: router, transport: transport,
        queues: BackgroundQueues(logGC: queue, snapshotGeneration: queue), snapshots: snapshots,
        localReader: localReader)
      let (peers, applyStates) = try RaftStore.loadPeers(
        raftDB: raftDB, kvDB: kvDB, context: context)
      applier = Applier(
        storeID: storeID, kvDB: kvDB, applyStates: applyStates, snapshots: snapshots,
        config: SimCluster.config, localReader: localReader,
        notify: { [router] in router.send($1, to: $0) },
        notifyStore: { [router] in router.send($0) })
      for regionID in peers.keys { router.register(regionID) }
      poller = RaftPoller(
        raftDB: raftDB, kvDB: kvDB, context: context,
        apply: { [unowned self] tasks in self.applyQueue.append(contentsOf: tasks) },
        peers: peers, syncLog: false)
    }
  }

  let seed: UInt64
  let directory: TemporaryDirectory
  let transport = QueueTransport()
  let storeIDs: [UInt64]
  var stores: [UInt64: Store] = [:]
  var random: SplitMix64
  let outcomes = Outcomes()
  /// Every write and read as a client history, timed in steps, for the linearizability checker.
  let history: History<KVInput, String>
  private let clock = StepClock()
  var proposed = 0
  /// The writes proposed through each store, to fail the ones a crash loses.
  var proposedVia: [UInt64: [Int]] = [:]
  /// What happened, one line per step: two runs of one seed must produce the same trace.
  var trace: [String] = []
  /// Percent of delivered messages dropped.
  var dropPercent: UInt64 = 0
  /// Whether steps may crash and restart stores.
  var crashes = false
  /// Whether steps may isolate a store (and heal it) and deliver messages twice.
  var partitions = false
  /// The store cut off from all others, if any.
  var isolated: UInt64?
  /// Whether steps may split regions (``administer(via:)``).
  var splits = false
  /// Whether steps may add and remove peers (``administer(via:)``).
  var confChanges = false
  /// The next region or peer id a split or an added peer gets.
  var nextID: UInt64 = 1000
  /// Snapshots streamed whole to their store, and installed by an apply loop.
  var snapshotsSent = 0
  var snapshotsInstalled = 0

  /// The leaders' lease (nil: lease reads off, as the random steps' ticks are no clock).
  let leaderLease: Duration?
  /// The clock leases run on: ``tickAll()`` moves it one tick interval.
  let leaseClock = ManualClock()

  init(count: Int, seed: UInt64, leaderLease: Duration? = nil) throws {
    self.seed = seed
    self.leaderLease = leaderLease
    random = SplitMix64(seed: seed)
    history = History(clock: clock)
    directory = try TemporaryDirectory("sim")
    storeIDs = (1...UInt64(count)).map { $0 }
    let region = Metapb_Region.spanning(stores: storeIDs, id: Cluster.regionID)
    for id in storeIDs {
      let (raftDB, kvDB) = try openEngines(id)
      try RaftStore.bootstrap(region: region, raftDB: raftDB, kvDB: kvDB)
      stores[id] = try openStore(id, raftDB, kvDB)
    }
  }

  deinit {
    for store in stores.values {
      store.poller.stop()
      store.raftDB.close()
      store.kvDB.close()
    }
  }

  func openEngines(_ storeID: UInt64) throws -> (Database, Database) {
    (
      try Database(path: directory.appending("store-\(storeID)/raft"), options: .small([.default])),
      try Database(path: directory.appending("store-\(storeID)/kv"), options: .small())
    )
  }

  private func openStore(_ id: UInt64, _ raftDB: Database, _ kvDB: Database) throws -> Store {
    let snapshots = try SnapshotManager(directory: directory.appending("store-\(id)/snap"))
    return try Store(
      storeID: id, raftDB: raftDB, kvDB: kvDB, snapshots: snapshots, transport: transport,
      localReader: LocalReader(duration: leaderLease, now: leaseClock.now))
  }

  /// Streams a `MsgSnapshot`'s files from its sender to `store` and delivers it (or reports
  /// the failure to the sender), as the transports do.
  private func deliverSnapshot(_ message: RaftServerpb_RaftMessage, to store: Store) {
    guard let sender = stores[message.fromPeer.storeID] else { return }
    do {
      try streamSnapshot(message, from: sender.snapshots, to: store.snapshots, chunkBytes: 512)
    } catch {
      reportSnapshot(message, succeeded: false)
      trace.append("snapshot \(message.fromPeer.storeID)->\(message.toPeer.storeID) failed")
      return
    }
    store.router.deliver(message)
    reportSnapshot(message, succeeded: true)
    snapshotsSent += 1
    trace.append("snapshot \(message.fromPeer.storeID)->\(message.toPeer.storeID)")
  }

  private func reportSnapshot(_ message: RaftServerpb_RaftMessage, succeeded: Bool) {
    guard message.message.msgType == .msgSnapshot else { return }
    let report = DeliveryReport.snapshot(
      regionID: message.regionID, toPeerID: message.toPeer.id, succeeded: succeeded)
    stores[message.fromPeer.storeID]?.router.send(.report(report), to: message.regionID)
  }

  private func pick<T>(_ values: [T]) -> T { values[Int(random.next() % UInt64(values.count))] }

  /// Proposes `key = value` through store `via` (a random store if nil), in `session` if
  /// given; the outcome lands in ``outcomes``.
  /// - Returns: the write's number.
  @discardableResult
  func propose(
    _ key: String, _ value: String, session: Kvrpcpb_WriteSession? = nil, via: UInt64? = nil
  ) -> Int {
    let number = proposed
    proposed += 1
    let id = via ?? pick(storeIDs)
    var context = Kvrpcpb_Context()
    context.regionID = regionID(of: key, on: id)
    if let session { context.writeSession = session }
    let outcomes = outcomes
    let history = history
    let operation = history.invoke(client: number, .put(key: key, value: value))
    let command = WriteCommand(
      context: context,
      modifications: [.put(.default, key: Data(key.utf8), value: Data(value.utf8))],
      callback: { result in
        outcomes.state.withLock { $0[number] = result }
        history.complete(operation, Self.historyResult(of: result))
      })
    if let store = stores[id], store.router.send(.write(command), to: context.regionID) {
      proposedVia[id, default: []].append(number)
      trace.append("propose \(number) via \(id)")
    } else {
      command.callback(.failure(RaftStoreError(code: .stopped, message: "store \(id) is down")))
      trace.append("propose \(number) via \(id): down")
    }
    return number
  }

  /// Reads of ``read(_:)``: the key, whether its write was acknowledged when the read was
  /// issued, and (once answered) the value read, or nil when the read failed.
  final class Reads: Sendable {
    struct Read: Sendable {
      var key: String
      var writtenBefore: Bool
      var answered = false
      var value: String?
    }
    let state = Mutex<[Read]>([])
  }
  let reads = Reads()

  /// Reads `key` linearizably (ReadIndex) through a random store; `writtenBefore` says whether
  /// a write of the key was acknowledged before this call (then the read must see it).
  func read(_ key: String, writtenBefore: Bool) {
    let id = pick(storeIDs)
    var context = Kvrpcpb_Context()
    context.regionID = regionID(of: key, on: id)
    let reads = reads
    let number = reads.state.withLock { reads in
      reads.append(Reads.Read(key: key, writtenBefore: writtenBefore))
      return reads.count - 1
    }
    let history = history
    let operation = history.invoke(client: -1 - number, .get(key: key))
    let callback: ReadCallback = { result in
      let value: String? =
        switch result {
        case .success(let (snapshot, _)):
          (try? snapshot.get(.default, Data(key.utf8))).flatMap { $0 }.map {
            String(decoding: $0, as: UTF8.self)
          } ?? ""
        case .failure: nil
        }
      reads.state.withLock { reads in
        reads[number].answered = value != nil
        reads[number].value = value
      }
      history.complete(operation, value.map { .ok($0) } ?? .failed)
    }
    if let store = stores[id], store.router.send(.read(context, callback), to: context.regionID) {
      trace.append("read \(key) via \(id)")
    } else {
      trace.append("read \(key) via \(id): down")
    }
  }

  /// How a write's outcome goes into the history: acknowledged; certainly not applied (its
  /// entry was overwritten, or it was never proposed or applied: `StaleCommand`, `NotLeader`,
  /// `EpochNotMatch`, `KeyNotInRegion`, `RegionNotFound`); or unknown (a crash failed it after
  /// it may have been proposed; `UndeterminedResult` from a peer destroyed with the proposal in
  /// flight, which the remaining peers may still commit, or a snapshot that replaced its entry).
  static func historyResult(of result: Result<Void, any Error>) -> OperationResult<String> {
    switch result {
    case .success: .ok("")
    case .failure(let error as RegionError) where !error.error.hasUndeterminedResult: .failed
    case .failure: .unknown
    }
  }

  /// Runs one event.
  func step() throws {
    clock.advance()
    let roll = random.next() % 100
    let id = pick(storeIDs)
    switch roll {
    case 0..<35:
      // Many regions send more than one message per step: deliver a share of the backlog, so
      // it stays bounded and a message is not mostly stale by the time it arrives.
      let count = 1 + transport.pending.withLock { $0.count } / 16
      for _ in 0..<count { deliverOne() }
    case 35..<50:
      stores[id]?.router.broadcastTick()
      trace.append("tick \(id)")
    case 50..<78:
      guard let store = stores[id] else { return }
      store.poller.poll(wait: false)
      trace.append("poll \(id)")
    case 78..<94:
      guard let store = stores[id], !store.applyQueue.isEmpty else { return }
      let tasks = store.applyQueue
      store.applyQueue = []
      store.applier.apply(tasks)
      let installed = tasks.filter { $0.snapshot != nil }.count
      snapshotsInstalled += installed
      trace.append(
        "apply \(id) \(tasks.map { $0.entries.last?.index ?? 0 }) snapshots \(installed)")
    case 94..<98 where (splits || confChanges) && random.next() % (splits ? 10 : 3) == 0:
      administer(via: id)
    case 94..<98:
      guard let store = stores[id] else { return }
      let jobs = store.jobs.queue.withLock { jobs in
        defer { jobs = [] }
        return jobs
      }
      for job in jobs { job() }
      trace.append("jobs \(id): \(jobs.count)")
    case 98:
      guard partitions else { return }
      isolated = isolated == nil ? id : nil
      trace.append(isolated.map { "isolate \($0)" } ?? "heal partition")
    default:
      // One step in 1,000 crashes or restarts a store: reopening engines is slow.
      guard crashes, random.next() % 10 == 0 else { return }
      if stores[id] != nil {
        crash(id)
      } else {
        let (raftDB, kvDB) = try openEngines(id)
        stores[id] = try openStore(id, raftDB, kvDB)
        trace.append("restart \(id)")
      }
    }
  }

  /// Crashes store `id`: queued apply tasks and mail are lost; what the engines hold survives.
  func crash(_ id: UInt64) {
    guard let store = stores.removeValue(forKey: id) else { return }
    store.raftDB.close()
    store.kvDB.close()
    // Their callbacks died with the store: the outcome is unknown, so not acknowledged.
    let lost = proposedVia.removeValue(forKey: id) ?? []
    outcomes.state.withLock { outcomes in
      for number in lost where outcomes[number] == nil {
        outcomes[number] = .failure(RaftStoreError(code: .stopped, message: "crashed"))
      }
    }
    trace.append("crash \(id)")
  }

  /// Delivers (or drops, cuts, duplicates) one random pending message.
  func deliverOne() {
    let duplicate = partitions && random.next() % 50 == 0
    let message = transport.pending.withLock { pending -> RaftServerpb_RaftMessage? in
      guard !pending.isEmpty else { return nil }
      let index = Int(random.next() % UInt64(pending.count))
      return duplicate ? pending[index] : pending.remove(at: index)
    }
    guard let message else { return }
    let to = message.toPeer.storeID
    if let isolated, isolated == to || isolated == message.fromPeer.storeID {
      reportSnapshot(message, succeeded: false)
      trace.append("cut \(message.message.msgType) \(message.fromPeer.storeID)->\(to)")
    } else if random.next() % 100 < dropPercent {
      reportSnapshot(message, succeeded: false)
      trace.append("drop \(message.message.msgType) \(message.fromPeer.storeID)->\(to)")
    } else if let store = stores[to], message.message.msgType == .msgSnapshot {
      deliverSnapshot(message, to: store)
    } else if let store = stores[to] {
      store.router.deliver(message)
      trace.append(
        "deliver \(message.message.msgType) r\(message.regionID) t\(message.message.term) "
          + "\(message.message.reject ? "reject " : "")\(message.fromPeer.storeID)->\(to)")
    } else {
      // The store is down: a transport's connection fails, and it says so.
      reportSnapshot(message, succeeded: false)
      trace.append("lost \(message.message.msgType) \(message.fromPeer.storeID)->\(to)")
    }
  }

  /// Steps until `condition` holds.
  /// - Throws: `TestFailure` with the seed after `maxSteps`.
  func run(maxSteps: Int, until condition: () throws -> Bool) throws {
    for number in 0..<maxSteps {
      // Checked every 50 steps: the condition reads the engines, a step is much cheaper.
      if number % 50 == 0, try condition() { return }
      try step()
    }
    if try condition() { return }
    throw TestFailure(
      "seed \(seed): condition not reached in \(maxSteps) steps; peers:\n\(describePeers())\n"
        + "last events:\n" + trace.suffix(200).joined(separator: "\n"))
  }

  /// Restarts every crashed store and stops dropping or crashing.
  func heal() throws {
    dropPercent = 0
    crashes = false
    partitions = false
    splits = false
    confChanges = false
    isolated = nil
    for id in storeIDs where stores[id] == nil {
      let (raftDB, kvDB) = try openEngines(id)
      stores[id] = try openStore(id, raftDB, kvDB)
      trace.append("restart \(id)")
    }
  }

  /// `key` in store `id`'s kv engine.
  func local(_ id: UInt64, _ key: String) throws -> String? {
    try stores[id]?.kvDB.get(.default, Data(key.utf8)).map { String(decoding: $0, as: UTF8.self) }
  }
}

/// The simulation's time for histories: the number of steps run so far.
final class StepClock: HistoryClock {
  private let steps = Atomic<UInt64>(0)
  func advance() { steps.add(1, ordering: .relaxed) }
  func now() -> UInt64 { steps.load(ordering: .relaxed) }
}

/// A monotonic clock that moves only when told: time for leases in a simulation.
final class ManualClock: Sendable {
  private let start = ContinuousClock.now
  private let elapsed = Mutex(Duration.zero)
  func advance(by duration: Duration) { elapsed.withLock { $0 += duration } }
  @Sendable func now() -> ContinuousClock.Instant { start + elapsed.withLock { $0 } }
}
