import Dispatch
import Engine
import Foundation
import Storage
import Synchronization
import TinyKVProto

/// A store: every region peer on one pair of engines, driven by one raft thread, one apply
/// thread and one timer thread.
///
/// Life cycle: `init` loads nothing; ``start()`` loads every bootstrapped region and starts
/// the threads; ``stop()`` stops them (commands still waiting fail with
/// `RaftStoreError.stopped`). The engines belong to the caller, who closes them after `stop`.
public final class RaftStore: Sendable {
  /// This store's id.
  public let storeID: UInt64
  /// The raft engine (log entries, raft states).
  public let raftDB: Database
  /// The kv engine (data, apply and region states).
  public let kvDB: Database
  /// Tunables.
  public let config: RaftStoreConfig
  /// This store's snapshot files (a transport streams them through the same object).
  public let snapshots: SnapshotManager
  let router = Router()
  /// Deadlines of the commands waiting on this store (`RaftStorage`), swept every tick.
  package let deadlines = CommandDeadlines()
  /// The leases of this store's leaders: reads they serve without a Raft round.
  package let localReader: LocalReader
  /// Totals of the raft loop (rounds, fsyncs, proposals).
  public let statistics = RaftStoreStatistics()
  private let transport: any Transport

  /// States: idle → running → stopped.
  private enum Phase {
    case idle
    case running(
      applier: ApplyPoller, workers: [Worker<BackgroundJob>], raftExited: DispatchSemaphore)
    case stopped
  }
  private let phase = Mutex(Phase.idle)

  /// Creates a store over open engines and its snapshot directory; call ``start()``.
  public init(
    storeID: UInt64, raftDB: Database, kvDB: Database, snapshots: SnapshotManager,
    transport: any Transport, config: RaftStoreConfig = RaftStoreConfig()
  ) {
    self.storeID = storeID
    self.snapshots = snapshots
    self.raftDB = raftDB
    self.kvDB = kvDB
    self.transport = transport
    self.config = config
    self.localReader = LocalReader(duration: config.effectiveLeaderLease)
  }

  /// Writes `region`'s initial state on this store (log index and term 5, all its peers as
  /// voters). Every store holding a peer of a new region bootstraps it the same way.
  /// - Throws: `RaftStoreError.alreadyBootstrapped`, `EngineError`.
  public static func bootstrap(region: Metapb_Region, raftDB: Database, kvDB: Database) throws {
    try PeerStorage.bootstrap(region: region, raftDB: raftDB, kvDB: kvDB)
  }

  /// Loads every region with state on this store and starts the raft, apply and timer threads.
  /// - Throws: `RaftStoreError` or `EngineError` if stored state cannot be loaded; the store is
  ///   then left idle.
  /// - Parameters:
  ///   - regionHeartbeats: where the store's leaders send their region heartbeats (for the
  ///     scheduler); called on the raft thread, so it must not block.
  ///   - splitIDs: where leaders get the ids of the regions they split off; without it,
  ///     regions never split.
  public func start(
    regionHeartbeats: @escaping @Sendable (RegionHeartbeat) -> Void = { _ in },
    splitIDs: (any SplitIDAllocator)? = nil
  ) throws {
    let splitCheck = Worker<BackgroundJob>(jobsNamed: "split-check-\(storeID)")
    let logGC = Worker<BackgroundJob>(jobsNamed: "raftlog-gc-\(storeID)")
    let generation = Worker<BackgroundJob>(jobsNamed: "snap-gen-\(storeID)")
    let workers = [logGC, generation, splitCheck]
    let context = PeerContext(
      storeID: storeID, config: config, router: router, transport: transport,
      queues: BackgroundQueues(
        logGC: { logGC.schedule([$0]) }, snapshotGeneration: { generation.schedule([$0]) },
        splitCheck: { splitCheck.schedule([$0]) }),
      snapshots: snapshots, regionHeartbeats: regionHeartbeats, splitIDs: splitIDs,
      localReader: localReader)
    let peers: [UInt64: Peer]
    let applyStates: [UInt64: RaftServerpb_RaftApplyState]
    do {
      (peers, applyStates) = try Self.loadPeers(raftDB: raftDB, kvDB: kvDB, context: context)
    } catch {
      for worker in workers { worker.stop() }
      throw error
    }
    let applier = ApplyPoller(
      applier: Applier(
        storeID: storeID, kvDB: kvDB, applyStates: applyStates, snapshots: snapshots,
        config: config, localReader: localReader,
        notify: { [router] in router.send($1, to: $0) },
        notifyStore: { [router] in router.send($0) }))
    let raftExited = DispatchSemaphore(value: 0)
    for regionID in peers.keys { router.register(regionID) }
    let started = phase.withLock { phase -> Bool in
      guard case .idle = phase else { return false }
      phase = .running(applier: applier, workers: workers, raftExited: raftExited)
      return true
    }
    guard started else {
      applier.stop()
      for worker in workers { worker.stop() }
      throw RaftStoreError(code: .stopped, message: "store \(storeID) was started before")
    }
    // The peers move to the raft thread and never come back: the box is read once, there.
    let box = UncheckedBox(peers)
    let syncLog = config.syncLog
    let raftThread = Thread { [raftDB, kvDB, statistics] in
      RaftPoller(
        raftDB: raftDB, kvDB: kvDB, context: context, apply: { applier.schedule($0) },
        peers: box.take(), syncLog: syncLog, statistics: statistics
      ).run()
      raftExited.signal()
    }
    raftThread.name = "raft-\(storeID)"
    raftThread.start()
    let interval =
      Double(config.tickInterval.components.attoseconds) / 1e18
      + Double(config.tickInterval.components.seconds)
    let ticker = Thread { [self] in
      while true {
        Thread.sleep(forTimeInterval: interval)  // the store's clock, not synchronisation
        let running = phase.withLock { phase -> Bool in
          if case .running = phase { return true }
          return false
        }
        if !running { return }
        router.broadcastTick()
        deadlines.expire()
      }
    }
    ticker.name = "tick-\(storeID)"
    ticker.start()
  }

  /// Loads every region with state on a store: its peer and its apply state. A snapshot apply
  /// a crash interrupted is finished first (`SnapshotApplier.recover`), also for a peer whose
  /// snapshot was its first state.
  static func loadPeers(
    raftDB: Database, kvDB: Database, context: PeerContext
  ) throws -> (peers: [UInt64: Peer], applyStates: [UInt64: RaftServerpb_RaftApplyState]) {
    var peers: [UInt64: Peer] = [:]
    var applyStates: [UInt64: RaftServerpb_RaftApplyState] = [:]
    let applying = try PeerStorage.applyingSnapshotRegionIDs(in: kvDB)
    for regionID in Set(try PeerStorage.regionIDs(in: kvDB) + applying).sorted() {
      try SnapshotApplier.recover(
        regionID: regionID, raftDB: raftDB, kvDB: kvDB, manager: context.snapshots,
        config: context.config)
      let storage = try PeerStorage(
        regionID: regionID, raftDB: raftDB, kvDB: kvDB,
        entryCacheBytes: context.config.entryCacheBytes)
      peers[regionID] = try Peer(storage: storage, context: context)
      applyStates[regionID] = try loadSessions(regionID, storage.applyState, kvDB: kvDB)
    }
    return (peers, applyStates)
  }

  /// `applyState` with its region's sessions read from their keys. A store written before
  /// sessions had keys of their own keeps them inside the apply state: those move to keys
  /// first (synced), so that the apply loop, which writes only changed sessions, loses none.
  private static func loadSessions(
    _ regionID: UInt64, _ applyState: RaftServerpb_RaftApplyState, kvDB: Database
  ) throws -> RaftServerpb_RaftApplyState {
    var applyState = applyState
    if !applyState.sessions.sessions.isEmpty {
      let batch = try kvDB.makeWriteBatch()
      try SessionKeys.replace(regionID, with: applyState.sessions.sessions, in: batch)
      try batch.put(.meta, Keys.applyStateKey(regionID), applyState.stored.serializedData())
      try kvDB.write(batch, sync: true)
    }
    applyState.sessions.sessions = try SessionKeys.load(regionID) { cf, bounds in
      try kvDB.iterator(cf, bounds: bounds)
    }
    return applyState
  }

  /// How many regions this store runs a peer of (from memory; 0 before `start`).
  public var regionCount: Int { router.regionCount }

  /// Delivers a Raft message from another store. A message for a region this store has no
  /// peer of may create the peer (a leader's first message to a peer it added).
  public func deliver(_ message: RaftServerpb_RaftMessage) {
    router.deliver(message)
  }

  /// Delivers several Raft messages from another store, in order, with one lock of the router
  /// and at most one wake of the raft loop.
  public func deliver(contentsOf messages: [RaftServerpb_RaftMessage]) {
    router.deliver(contentsOf: messages)
  }

  /// Tells a region's peer what the transport could not deliver (or that a snapshot was
  /// streamed), so Raft stops waiting on it. Reports for regions not on this store are dropped.
  public func report(_ report: DeliveryReport) {
    let regionID: UInt64
    switch report {
    case .unreachable(let region, _), .snapshot(let region, _, _): regionID = region
    }
    router.send(.report(report), to: regionID)
  }

  /// Asks this store's peer of region `regionID` to hand leadership to `peer`, if it leads the
  /// region at `epoch` (a step of a scheduler operator; otherwise nothing happens and the
  /// scheduler asks again after the next heartbeat).
  public func transferLeader(regionID: UInt64, to peer: Metapb_Peer, epoch: Metapb_RegionEpoch) {
    router.send(.transferLeader(to: peer, epoch: epoch), to: regionID)
  }

  /// Asks this store's peer of region `regionID` to add or remove `peer`, if it leads the
  /// region at `epoch` (a step of a scheduler operator). One change at a time: a change
  /// proposed while another is not applied yet is refused. `callback`, if given, learns the
  /// outcome: success once applied; `NotLeader`, `EpochNotMatch` (also when the epoch moved
  /// before the change applied), `RegionNotFound`, or `RaftError.proposalDropped` (a change
  /// is pending). Must not block.
  ///
  /// An added peer is created on its store by the leader's first message and initialised by
  /// the leader's snapshot; a removed one destroys itself (tombstone, data deleted) when it
  /// applies the change, or when a peer of the newer membership tells it so.
  public func changePeer(
    regionID: UInt64, change: Eraftpb_ConfChangeType, peer: Metapb_Peer,
    epoch: Metapb_RegionEpoch,
    callback: (@Sendable (Result<Void, any Error>) -> Void)? = nil
  ) {
    send(
      .changePeer(
        ChangePeerCommand(change: change, peer: peer, epoch: epoch, callback: callback)),
      regionID: regionID)
  }

  /// Asks this store's peer of region `regionID` to split the region at `key` (the first key of
  /// the new region), if it leads the region at `epoch`; the ids come from the store's
  /// `SplitIDAllocator`. `callback`, if given, learns the outcome: success once applied;
  /// `NotLeader`, `EpochNotMatch`, `RegionNotFound`, or `EngineError.invalidArgument` (the key
  /// is not strictly inside the region, or the store has no allocator). Must not block.
  public func split(
    regionID: UInt64, at key: Data, epoch: Metapb_RegionEpoch,
    callback: (@Sendable (Result<Void, any Error>) -> Void)? = nil
  ) {
    send(
      .split(SplitCommand(key: key, epoch: epoch, ids: nil, callback: callback)), regionID: regionID
    )
  }

  /// Routes a command to its region, failing it with `RegionNotFound` if the region is not here.
  func send(_ message: PeerMessage, regionID: UInt64) {
    if !router.send(message, to: regionID) {
      message.fail(RegionError.regionNotFound(regionID, storeID: storeID))
    }
  }

  /// Stops the threads: the raft loop finishes its round, the apply loop applies what it was
  /// given, and every command still waiting fails with `RaftStoreError.stopped`. Idempotent.
  public func stop() {
    let running = phase.withLock {
      phase -> (ApplyPoller, [Worker<BackgroundJob>], DispatchSemaphore)? in
      guard case .running(let applier, let workers, let raftExited) = phase else { return nil }
      phase = .stopped
      return (applier, workers, raftExited)
    }
    guard let (applier, workers, raftExited) = running else { return }
    let error = RaftStoreError(code: .stopped, message: "store \(storeID) stopped")
    for message in router.stop() { message.fail(error) }
    raftExited.wait()
    applier.stop()
    for worker in workers { worker.stop() }
  }
}

/// Hands a non-`Sendable` value to exactly one other thread.
///
/// `@unchecked Sendable` because the value is written once before the thread starts and taken
/// once on that thread; the lock orders the two.
private final class UncheckedBox<Value>: @unchecked Sendable {
  private let lock = NSLock()
  private var value: Value?
  init(_ value: Value) { self.value = value }
  func take() -> Value {
    lock.lock()
    defer { lock.unlock() }
    guard let value else { preconditionFailure("UncheckedBox taken twice") }
    self.value = nil
    return value
  }
}
