import Dispatch
import Engine
import Foundation
import Storage
import SwiftProtobuf
import Synchronization
import TinyKVProto

/// The apply loop: one thread that takes every queued `ApplyTask`, writes all their entries'
/// changes and every touched region's `RaftApplyState` to the kv engine in one WriteBatch, and
/// then completes proposals and reads.
///
/// The write is not synced: every entry applied here was synced to the raft engine first, and
/// a restart re-applies whatever the kv engine lost (the apply state moves with the data in
/// one atomic batch, so the two never disagree).
package final class ApplyPoller: Sendable {
  /// States: running → stopping (no new tasks; the thread drains the queue) → exited.
  private struct State {
    var queue: [ApplyTask] = []
    var threadWaiting = false
    var stopping = false
  }

  private let state = Mutex(State())
  private let wake = DispatchSemaphore(value: 0)
  private let exited = DispatchSemaphore(value: 0)

  /// Starts the apply thread over `kvDB`, resuming each region from `applyStates`.
  package init(kvDB: Database, applyStates: [UInt64: RaftServerpb_RaftApplyState]) {
    let thread = Thread { [self] in
      var applier = Applier(kvDB: kvDB, applyStates: applyStates)
      while let tasks = self.takeTasks() { applier.apply(tasks) }
      applier.failWaitingReads(RaftStoreError(code: .stopped, message: "the store stopped"))
      self.exited.signal()
    }
    thread.name = "apply"
    thread.start()
  }

  /// Queues tasks; they are applied in the order queued.
  package func schedule(_ tasks: [ApplyTask]) {
    guard !tasks.isEmpty else { return }
    let (accepted, wakeThread) = state.withLock { state -> (Bool, Bool) in
      guard !state.stopping else { return (false, false) }
      state.queue.append(contentsOf: tasks)
      defer { state.threadWaiting = false }
      return (true, state.threadWaiting)
    }
    if wakeThread { wake.signal() }
    if !accepted {
      let error = RaftStoreError(code: .stopped, message: "the store is stopping")
      for task in tasks {
        for proposal in task.proposals { proposal.callback(.failure(error)) }
        for read in task.reads { read.callback(.failure(error)) }
      }
    }
  }

  /// Applies what is queued, then stops the thread.
  package func stop() {
    let wakeThread = state.withLock { state -> Bool in
      guard !state.stopping else { return false }
      state.stopping = true
      defer { state.threadWaiting = false }
      return state.threadWaiting
    }
    if wakeThread { wake.signal() }
    exited.wait()
    exited.signal()  // later calls return at once
  }

  private func takeTasks() -> [ApplyTask]? {
    while true {
      let tasks = state.withLock { state -> [ApplyTask]? in
        if !state.queue.isEmpty {
          defer { state.queue.removeAll(keepingCapacity: true) }
          return state.queue
        }
        if state.stopping { return nil }
        state.threadWaiting = true
        return []
      }
      guard let tasks else { return nil }
      if !tasks.isEmpty { return tasks }
      wake.wait()
    }
  }
}

/// The apply thread's state: the kv engine and each region's apply state.
struct Applier {
  let kvDB: Database
  var applyStates: [UInt64: RaftServerpb_RaftApplyState]
  /// Confirmed reads whose read index is not applied yet, by region.
  var waitingReads: [UInt64: [(Metapb_Region, PendingRead)]] = [:]

  /// Applies `tasks` in one WriteBatch, then completes their callbacks.
  mutating func apply(_ tasks: [ApplyTask]) {
    var results: [(callback: WriteCallback, result: Result<Void, any Error>)] = []
    var touched: Set<UInt64> = []
    do {
      let batch = try kvDB.makeWriteBatch()
      for task in tasks {
        guard var applyState = applyStates[task.regionID] else { continue }
        var proposals = task.proposals[...]
        for entry in task.entries where entry.index > applyState.appliedIndex {
          let outcome = try applyEntry(entry, region: task.region, to: batch)
          applyState.appliedIndex = entry.index
          // Proposals before this entry were overwritten and never got an entry of their own.
          while let proposal = proposals.first, proposal.index <= entry.index {
            proposals.removeFirst()
            if proposal.index == entry.index && proposal.term == entry.term {
              results.append((proposal.callback, outcome))
            } else {
              results.append((proposal.callback, .failure(Self.staleCommand())))
            }
          }
        }
        for proposal in proposals {
          // Past this task's entries but of an older term than its last: never committed.
          results.append((proposal.callback, .failure(Self.staleCommand())))
        }
        applyStates[task.regionID] = applyState
        touched.insert(task.regionID)
      }
      for regionID in touched {
        try batch.put(.meta, Keys.applyStateKey(regionID), applyStates[regionID]!.serializedData())
      }
      try kvDB.write(batch, sync: false)
    } catch {
      // The kv engine failed: the in-memory apply state may be ahead of the disk, so nothing
      // applied here can be trusted. Like TiKV, stop rather than serve wrong data.
      preconditionFailure("apply: the kv engine failed: \(error)")
    }
    for (callback, result) in results { callback(result) }
    // A read is served once its region applied its read index. The raft loop queues it behind
    // the entries it needs, so it is normally ready here; one that is not waits for later tasks.
    for task in tasks where !task.reads.isEmpty {
      waitingReads[task.regionID, default: []].append(
        contentsOf: task.reads.map { (task.region, $0) })
    }
    var reads: [(Metapb_Region, PendingRead)] = []
    for (regionID, waiting) in waitingReads {
      let applied = applyStates[regionID]?.appliedIndex ?? 0
      reads += waiting.filter { $0.1.index <= applied }
      let later = waiting.filter { $0.1.index > applied }
      waitingReads[regionID] = later.isEmpty ? nil : later
    }
    if !reads.isEmpty {
      do {
        let snapshot = try kvDB.snapshot()
        for (region, read) in reads { read.callback(.success((snapshot, region))) }
      } catch {
        for (_, read) in reads { read.callback(.failure(error)) }
      }
    }
  }

  /// Fails every read still waiting for its index (the store is stopping).
  mutating func failWaitingReads(_ error: any Error) {
    for (_, read) in waitingReads.values.joined() { read.callback(.failure(error)) }
    waitingReads = [:]
  }

  /// Adds one entry's changes to `batch`. A command that cannot be decoded or names an unknown
  /// column family changes nothing and fails its proposal (every replica decides the same).
  private func applyEntry(_ entry: Eraftpb_Entry, region: Metapb_Region, to batch: WriteBatch)
    throws -> Result<Void, any Error>
  {
    guard entry.entryType == .entryNormal, !entry.data.isEmpty else { return .success(()) }
    let command: RaftCmdpb_RaftCmdRequest
    do {
      command = try RaftCmdpb_RaftCmdRequest(serializedBytes: entry.data)
    } catch {
      return .failure(EngineError(code: .invalidArgument, message: "undecodable command: \(error)"))
    }
    var modifications: [Modification] = []
    for request in command.requests {
      switch request.cmdType {
      case .put:
        let cf = ColumnFamily(request.put.cf.isEmpty ? "default" : request.put.cf)
        guard ColumnFamily.data.contains(cf) else { return .failure(Self.unknown(cf)) }
        modifications.append(.put(cf, key: request.put.key, value: request.put.value))
      case .delete:
        let cf = ColumnFamily(request.delete.cf.isEmpty ? "default" : request.delete.cf)
        guard ColumnFamily.data.contains(cf) else { return .failure(Self.unknown(cf)) }
        modifications.append(.delete(cf, key: request.delete.key))
      default:
        continue
      }
    }
    for modification in modifications { try batch.add(modification) }
    return .success(())
  }

  private static func unknown(_ cf: ColumnFamily) -> EngineError {
    EngineError(code: .unknownColumnFamily, message: "unknown column family \"\(cf)\"")
  }

  static func staleCommand() -> RegionError {
    var error = Errorpb_Error()
    error.message = "stale command: the entry was overwritten by a new leader"
    error.staleCommand = Errorpb_StaleCommand()
    return RegionError(error)
  }
}
