import Engine
import Foundation
import Storage
import Synchronization
import TestSupport
import TinyKVProto

@testable import RaftStore

/// N stores in one process, each with real engines in a temporary folder, sharing one region
/// (id 1, the whole key space) whose peer on store `i` has id `i`; connected by a
/// ``SimTransport``.
final class Cluster {
  static let regionID: UInt64 = 1
  let directory: TemporaryDirectory
  let transport: SimTransport
  let config: RaftStoreConfig
  let storeIDs: [UInt64]
  private(set) var stores: [UInt64: RaftStore] = [:]
  /// Ids for splits, shared by the stores (the scheduler's job in a real cluster).
  let splitIDs = CountingSplitIDs()

  /// Fast ticks for tests: elections within 100-200 ms; the log compacted every 50 ms once 5
  /// entries are everywhere, or past 40 entries even if a follower lags (then it gets a
  /// snapshot).
  static var testConfig: RaftStoreConfig {
    var config = RaftStoreConfig()
    config.tickInterval = .milliseconds(10)
    config.electionTick = 10
    config.heartbeatTick = 2
    config.raftLogGCTickInterval = 5
    config.raftLogGCThreshold = 5
    config.raftLogGCCountLimit = 40
    config.raftLogGCSizeLimit = 1 << 20
    config.snapshotApplyBatchBytes = 4 << 10
    return config
  }

  /// `count` stores; the region's peers are on `regionOn` (default: every store), the other
  /// stores start empty.
  init(
    count: Int, seed: UInt64 = 1, config: RaftStoreConfig = Cluster.testConfig,
    regionOn: [UInt64]? = nil
  ) throws {
    directory = try TemporaryDirectory("cluster")
    transport = SimTransport(seed: seed)
    self.config = config
    storeIDs = (1...UInt64(count)).map { $0 }
    let members = regionOn ?? storeIDs
    let region = Metapb_Region.spanning(stores: members, id: Self.regionID)
    for id in storeIDs {
      let (raftDB, kvDB) = try openEngines(id)
      if members.contains(id) {
        try RaftStore.bootstrap(region: region, raftDB: raftDB, kvDB: kvDB)
      }
      raftDB.close()
      kvDB.close()
      try start(id)
    }
  }

  deinit {
    for id in Array(stores.keys) { stop(id) }
  }

  private func openEngines(_ storeID: UInt64) throws -> (Database, Database) {
    (
      try Database(path: directory.appending("store-\(storeID)/raft"), options: .small([.default])),
      try Database(path: directory.appending("store-\(storeID)/kv"), options: .small())
    )
  }

  /// Opens store `storeID`'s engines and starts it.
  func start(_ storeID: UInt64) throws {
    let (raftDB, kvDB) = try openEngines(storeID)
    let snapshots = try SnapshotManager(directory: directory.appending("store-\(storeID)/snap"))
    let store = RaftStore(
      storeID: storeID, raftDB: raftDB, kvDB: kvDB, snapshots: snapshots, transport: transport,
      config: config)
    try store.start(splitIDs: splitIDs)
    stores[storeID] = store
    transport.connect(store)
  }

  /// Stops store `storeID` and closes its engines without flushing them (what survives is what
  /// RocksDB's write-ahead log holds, as after a crash of the process).
  func stop(_ storeID: UInt64) {
    guard let store = stores.removeValue(forKey: storeID) else { return }
    transport.disconnect(storeID)
    store.stop()
    store.raftDB.close()
    store.kvDB.close()
  }

  /// A request context for store `storeID`'s peer of the region holding `key` there (region
  /// 1 if no key is given or the store holds none), without an epoch.
  func context(_ storeID: UInt64, key: Data? = nil) -> Kvrpcpb_Context {
    var context = Kvrpcpb_Context()
    context.regionID = key.flatMap { try? region(containing: $0, on: storeID)?.id } ?? Self.regionID
    context.peer.id = storeID
    context.peer.storeID = storeID
    return context
  }

  /// Writes through store `storeID`, failing after `timeout`.
  func write(
    _ storeID: UInt64, _ modifications: [Modification], timeout: Duration = .seconds(2)
  ) async throws {
    guard let store = stores[storeID] else { throw TestFailure("store \(storeID) is down") }
    let storage = RaftStorage(store: store)
    let context = context(storeID, key: modifications.first?.key)
    try await withTimeout(timeout) { try await storage.write(context, modifications) }
  }

  /// Reads `key` (default column family) linearizably through store `storeID`.
  func read(_ storeID: UInt64, _ key: Data, timeout: Duration = .seconds(2)) async throws -> Data? {
    guard let store = stores[storeID] else { throw TestFailure("store \(storeID) is down") }
    let storage = RaftStorage(store: store)
    let context = context(storeID, key: key)
    return try await withTimeout(timeout) { try await storage.reader(context).get(.default, key) }
  }

  /// Puts `key` through whichever store accepts it (the leader), retrying until `deadline`.
  /// - Returns: the store that acknowledged the write.
  @discardableResult
  func put(_ key: String, _ value: String, within deadline: Duration = .seconds(10)) async throws
    -> UInt64
  {
    let end = ContinuousClock.now + deadline
    var lastError: (any Error)?
    while ContinuousClock.now < end {
      for id in storeIDs where stores[id] != nil {
        do {
          try await write(id, [.put(.default, key: Data(key.utf8), value: Data(value.utf8))])
          return id
        } catch {
          lastError = error
        }
      }
      try await Task.sleep(for: .milliseconds(10))
    }
    throw TestFailure("put \(key) failed within \(deadline): \(String(describing: lastError))")
  }

  /// Reads `key` linearizably through whichever store serves it.
  func get(_ key: String, within deadline: Duration = .seconds(10)) async throws -> String? {
    let end = ContinuousClock.now + deadline
    var lastError: (any Error)?
    while ContinuousClock.now < end {
      for id in storeIDs where stores[id] != nil {
        do {
          return try await read(id, Data(key.utf8)).map { String(decoding: $0, as: UTF8.self) }
        } catch {
          lastError = error
        }
      }
      try await Task.sleep(for: .milliseconds(10))
    }
    throw TestFailure("get \(key) failed within \(deadline): \(String(describing: lastError))")
  }

  /// `key` in store `storeID`'s kv engine, read directly (not linearizable: to check replicas).
  func local(_ storeID: UInt64, _ key: String) throws -> String? {
    guard let store = stores[storeID] else { return nil }
    return try store.kvDB.get(.default, Data(key.utf8)).map { String(decoding: $0, as: UTF8.self) }
  }

  /// Store `storeID`'s durable apply state of the region (read from its kv engine).
  func applyState(_ storeID: UInt64) throws -> RaftServerpb_RaftApplyState? {
    guard let store = stores[storeID],
      let bytes = try store.kvDB.get(.meta, Keys.applyStateKey(Self.regionID))
    else { return nil }
    return try RaftServerpb_RaftApplyState(serializedBytes: bytes)
  }

  /// The indexes of the raft-log entries in store `storeID`'s raft engine.
  func logIndexes(_ storeID: UInt64) throws -> [UInt64] {
    guard let store = stores[storeID] else { return [] }
    var upper = Keys.raftLogPrefix(Self.regionID)
    upper[upper.count - 1] += 1
    let iterator = try store.raftDB.iterator(
      .default, bounds: KeyBounds(lower: Keys.raftLogPrefix(Self.regionID), upper: upper))
    var indexes: [UInt64] = []
    iterator.seekToFirst()
    while iterator.isValid {
      if let (_, index) = Keys.parseRaftLogKey(iterator.key) { indexes.append(index) }
      iterator.next()
    }
    try iterator.checkStatus()
    return indexes
  }

  /// The store whose peer leads, polled until one answers a read.
  func leader(within deadline: Duration = .seconds(10)) async throws -> UInt64 {
    let end = ContinuousClock.now + deadline
    while ContinuousClock.now < end {
      for id in storeIDs where stores[id] != nil {
        do {
          _ = try await read(id, Data("leader-probe".utf8), timeout: .milliseconds(500))
          return id
        } catch {
          continue
        }
      }
      try await Task.sleep(for: .milliseconds(10))
    }
    throw TestFailure("no leader within \(deadline)")
  }
}

/// Runs `operation`, failing with `TestFailure` if it takes longer than `timeout` (the
/// operation itself keeps running until the store answers or stops).
func withTimeout<T: Sendable>(
  _ timeout: Duration, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
  let once = Once()
  return try await withCheckedThrowingContinuation {
    (continuation: CheckedContinuation<T, any Error>) in
    func finish(_ result: Result<T, any Error>) {
      if once.claim() { continuation.resume(with: result) }
    }
    Task {
      do { finish(.success(try await operation())) } catch { finish(.failure(error)) }
    }
    Task {
      try? await Task.sleep(for: timeout)
      finish(.failure(TestFailure("timed out after \(timeout)")))
    }
  }
}

/// A flag that is claimed once.
final class Once: Sendable {
  private let done = Mutex(false)
  /// True the first time only.
  func claim() -> Bool {
    done.withLock { done in
      defer { done = true }
      return !done
    }
  }
}

/// Split ids from a counter (from 1,000, clear of the stores' peer ids).
final class CountingSplitIDs: SplitIDAllocator {
  private let next = Mutex<UInt64>(1000)
  func splitIDs(for region: Metapb_Region) async throws -> SplitIDs {
    next.withLock { next in
      let regionID = next
      next += UInt64(region.peers.count) + 1
      return SplitIDs(
        regionID: regionID, peerIDs: (1...UInt64(region.peers.count)).map { regionID + $0 })
    }
  }
}
