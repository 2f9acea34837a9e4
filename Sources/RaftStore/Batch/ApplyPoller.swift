import Dispatch
import Engine
import Failpoints
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
  private let worker: Worker<ApplyTask>

  /// Starts the apply thread over `applier`'s kv engine and apply states.
  package init(applier: Applier) {
    worker = Worker(name: "apply") { take in
      var applier = applier
      while let tasks = take() { applier.apply(tasks) }
      applier.failWaitingReads(RaftStoreError(code: .stopped, message: "the store stopped"))
    }
  }

  /// Queues tasks; they are applied in the order queued.
  package func schedule(_ tasks: [ApplyTask]) {
    guard !worker.schedule(tasks) else { return }
    let error = RaftStoreError(code: .stopped, message: "the store is stopping")
    for task in tasks {
      for proposal in task.proposals { proposal.callback(.failure(error)) }
      for read in task.reads { read.callback(.failure(error)) }
    }
  }

  /// Applies what is queued, then stops the thread.
  package func stop() { worker.stop() }
}

/// The apply thread's state: the kv engine and each region's apply state.
package struct Applier: Sendable {
  /// This store's id (to recognise the removal of its own peer).
  let storeID: UInt64
  let kvDB: Database
  var applyStates: [UInt64: RaftServerpb_RaftApplyState]
  /// Received snapshots' files.
  let snapshots: SnapshotManager
  /// Snapshot apply batch size and crash hook.
  let config: RaftStoreConfig
  /// Sends a region's peer what it must learn from the apply loop (a compacted log).
  let notify: @Sendable (_ regionID: UInt64, PeerMessage) -> Void
  /// Sends the store (the raft loop) what no one peer handles (an applied split).
  let notifyStore: @Sendable (StoreMessage) -> Void
  /// Each region's metadata as of its last applied membership change or snapshot since start
  /// (absent: as the raft loop's tasks carry it, unchanged since start).
  var regions: [UInt64: Metapb_Region] = [:]
  /// Confirmed reads whose read index is not applied yet, by region.
  var waitingReads: [UInt64: [(Metapb_Region, PendingRead)]] = [:]
  /// Told what each region applied, for lease reads.
  let localReader: LocalReader

  /// An applier resuming each region from `applyStates`.
  package init(
    storeID: UInt64, kvDB: Database, applyStates: [UInt64: RaftServerpb_RaftApplyState],
    snapshots: SnapshotManager, config: RaftStoreConfig,
    localReader: LocalReader = LocalReader(duration: nil),
    notify: @escaping @Sendable (_ regionID: UInt64, PeerMessage) -> Void,
    notifyStore: @escaping @Sendable (StoreMessage) -> Void
  ) {
    self.localReader = localReader
    self.notifyStore = notifyStore
    self.storeID = storeID
    self.kvDB = kvDB
    self.applyStates = applyStates
    self.snapshots = snapshots
    self.config = config
    self.notify = notify
  }

  /// Applies `tasks` in order: runs of tasks without a snapshot share one WriteBatch; a
  /// snapshot is put in place (its own synced batches) before its task's entries. Then
  /// completes callbacks and serves the reads whose index is applied.
  mutating func apply(_ tasks: [ApplyTask]) {
    var run: [ApplyTask] = []
    for task in tasks {
      if let snapshot = task.snapshot {
        applyEntries(run)
        run = []
        do {
          applyStates[task.regionID] = try SnapshotApplier.load(
            snapshot, regionID: task.regionID, kvDB: kvDB, manager: snapshots, config: config)
          regions[task.regionID] = task.region
          localReader.applied(
            task.regionID, term: snapshot.metadata.term, region: task.region)
        } catch {
          // The marker stays: a restart redoes the apply. Running on would serve the region's
          // half-replaced data.
          preconditionFailure("apply: snapshot of region \(task.regionID) failed: \(error)")
        }
      }
      run.append(task)
    }
    applyEntries(run)
    serveReads(tasks)
  }

  /// Applies the entries of `tasks` (none with a snapshot) in one WriteBatch with every touched
  /// region's apply state (and region states, for a membership change or a split), synced if it
  /// compacts a log, removes a peer of this store or splits a region; then tells the store of
  /// splits, completes the proposals and tells the peers of compacted logs and applied
  /// membership changes. A region whose peer here was removed
  /// applies nothing after its removal: its apply state is deleted, its later proposals fail
  /// with `UndeterminedResult` (the region's other peers may apply them).
  private mutating func applyEntries(_ tasks: [ApplyTask]) {
    guard !tasks.isEmpty else { return }
    var results: [(callback: WriteCallback, result: Result<Void, any Error>)] = []
    var touched: Set<UInt64> = []
    var compacted: [UInt64: RaftServerpb_RaftTruncatedState] = [:]
    var confChanges: [AppliedConfChange] = []
    var tombstoned: [UInt64] = []
    var splits: [AppliedSplit] = []
    // Per region, the term of the last entry applied and the region its task carried.
    var appliedTerms: [UInt64: (term: UInt64, region: Metapb_Region)] = [:]
    // Each touched region's sessions as stored before this batch, to write only what changed.
    var storedSessions: [UInt64: [RaftServerpb_ClientSession]] = [:]
    do {
      let batch = try kvDB.makeWriteBatch()
      for task in tasks {
        if task.tombstone {
          if applyStates[task.regionID] != nil {
            try writeTombstone(of: regions[task.regionID] ?? task.region, to: batch)
            applyStates[task.regionID] = nil
            touched.insert(task.regionID)
          }
          tombstoned.append(task.regionID)
          continue
        }
        if storedSessions[task.regionID] == nil {
          storedSessions[task.regionID] = applyStates[task.regionID]?.sessions.sessions ?? []
        }
        guard var applyState = applyStates[task.regionID] else {
          // Committed entries this store will never apply: the region's other peers do.
          let removed = Self.removedBeforeApplying(task.regionID, storeID: storeID)
          results += task.proposals.map { ($0.callback, .failure(removed)) }
          continue
        }
        var proposals = task.proposals[...]
        var removesSelf = false
        for entry in task.entries where entry.index > applyState.appliedIndex && !removesSelf {
          let outcome: Result<Void, any Error>
          if entry.entryType == .entryConfChange {
            let before = confChanges.count
            outcome = try applyConfChange(
              entry, region: regions[task.regionID] ?? task.region, to: batch, &confChanges)
            removesSelf = confChanges.count > before && confChanges[before].removesSelf
          } else {
            outcome = try applyEntry(
              entry, region: regions[task.regionID] ?? task.region, to: batch, &applyState,
              &splits)
          }
          applyState.appliedIndex = entry.index
          appliedTerms[task.regionID] = (entry.term, task.region)
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
          // Past this task's entries but of an older term than its last: never committed (or
          // after the removal of this store's peer: not applied here, maybe by the others).
          let error =
            removesSelf
            ? Self.removedBeforeApplying(task.regionID, storeID: storeID) : Self.staleCommand()
          results.append((proposal.callback, .failure(error)))
        }
        if applyState.truncatedState != applyStates[task.regionID]?.truncatedState {
          compacted[task.regionID] = applyState.truncatedState
        }
        applyStates[task.regionID] = removesSelf ? nil : applyState
        touched.insert(task.regionID)
      }
      for regionID in touched {
        if let applyState = applyStates[regionID] {
          try batch.put(.meta, Keys.applyStateKey(regionID), applyState.stored.serializedData())
          try SessionKeys.persist(
            regionID, from: storedSessions[regionID] ?? [], to: applyState.sessions.sessions,
            in: batch)
        } else {
          try batch.delete(.meta, Keys.applyStateKey(regionID))
          try SessionKeys.remove(regionID, in: batch)
        }
      }
      // Synced when a log is compacted: the GC worker deletes the entries once the peer
      // learns of it, so the truncated state must be durable before (see docs/RAFTSTORE.md).
      // Synced when a peer is removed: its tombstone must be durable before it deletes its log.
      _ = Failpoints.evaluate("apply::before-write")
      // Synced when a stale peer is tombstoned: its mailbox goes once it learns of it.
      // Synced when a region splits: the new region's peer votes and logs once it exists.
      try kvDB.write(
        batch,
        sync: !compacted.isEmpty || !tombstoned.isEmpty || !splits.isEmpty
          || confChanges.contains(where: \.removesSelf))
    } catch {
      // The kv engine failed: the in-memory apply state may be ahead of the disk, so nothing
      // applied here can be trusted. Like TiKV, stop rather than serve wrong data.
      preconditionFailure("apply: the kv engine failed: \(error)")
    }
    _ = Failpoints.evaluate("apply::after-write")
    for (regionID, applied) in appliedTerms where applyStates[regionID] != nil {
      localReader.applied(regionID, term: applied.term, region: regions[regionID] ?? applied.region)
    }
    // Before the callbacks: the new regions' peers exist by the time a caller hears of a split.
    for split in splits { notifyStore(.splitApplied(split)) }
    for (callback, result) in results { callback(result) }
    for (regionID, truncated) in compacted { notify(regionID, .logCompacted(truncated)) }
    for applied in confChanges {
      notify(applied.regionID, .confChangeApplied(applied.change, region: applied.region))
    }
    for regionID in tombstoned { notify(regionID, .tombstoneWritten) }
  }

  /// Serves the reads of `tasks` and earlier ones whose region applied their index. The raft
  /// loop queues a read behind the entries it needs, so it is normally ready here; one that is
  /// not waits for later tasks.
  private mutating func serveReads(_ tasks: [ApplyTask]) {
    for task in tasks where !task.reads.isEmpty {
      waitingReads[task.regionID, default: []].append(
        contentsOf: task.reads.map { (task.region, $0) })
    }
    var reads: [(Metapb_Region, PendingRead)] = []
    for (regionID, waiting) in waitingReads {
      guard let applied = applyStates[regionID]?.appliedIndex else {
        // The region's peer here was removed: its index will never be applied.
        let error = RegionError.regionNotFound(regionID, storeID: storeID)
        for (_, read) in waiting { read.callback(.failure(error)) }
        waitingReads[regionID] = nil
        continue
      }
      let ready = waiting.filter { $0.1.index <= applied }
      // A split applied after the read was checked moved keys to a region whose leader may be
      // elsewhere: serving the narrower region would silently miss them (and its writes), so
      // the read fails with the current regions instead.
      for (region, read) in ready {
        let current = regions[regionID] ?? region
        if read.checkedVersion == current.regionEpoch.version {
          reads.append((current, read))
        } else {
          let splitOff = StoreRegions.splitOff(
            from: current, since: read.checkedVersion, among: regions)
          read.callback(.failure(RegionError.epochNotMatch(current, splitOff: splitOff)))
        }
      }
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
  /// A `CompactLog` moves `applyState`'s truncated state (never backwards, never past the
  /// entry itself).
  private mutating func applyEntry(
    _ entry: Eraftpb_Entry, region: Metapb_Region, to batch: WriteBatch,
    _ applyState: inout RaftServerpb_RaftApplyState, _ splits: inout [AppliedSplit]
  ) throws -> Result<Void, any Error> {
    guard entry.entryType == .entryNormal, !entry.data.isEmpty else { return .success(()) }
    let command: RaftCmdpb_RaftCmdRequest
    do {
      command = try RaftCmdpb_RaftCmdRequest(serializedBytes: entry.data)
    } catch {
      return .failure(EngineError(code: .invalidArgument, message: "undecodable command: \(error)"))
    }
    // Checked again here (the leader checked at proposal): a split or merge applied between
    // the two moved keys out of the region, and every replica refuses the same entries.
    if !command.requests.isEmpty, command.header.hasRegionEpoch,
      command.header.regionEpoch.version != region.regionEpoch.version
    {
      return .failure(RegionError.epochNotMatch(region))
    }
    if command.hasAdminRequest && command.adminRequest.cmdType == .split {
      return try applySplit(command, region: region, sessions: applyState.sessions, to: batch, &splits)
    }
    if command.hasAdminRequest && command.adminRequest.cmdType == .compactLog {
      let compact = command.adminRequest.compactLog
      if compact.compactIndex > applyState.truncatedState.index
        && compact.compactIndex < entry.index
      {
        applyState.truncatedState.index = compact.compactIndex
        applyState.truncatedState.term = compact.compactTerm
      }
      return .success(())
    }
    guard command.header.hasWriteSession else {
      return try applyRequests(command, region: region, to: batch)
    }
    // A session write is applied at most once: a resend is answered from the session table.
    let write = command.header.writeSession
    switch applyState.sessions.admit(
      write, proposedAtMs: command.header.proposedAtMs, regionID: region.id)
    {
    case .answered(let outcome): return outcome
    case .refused(let error): return .failure(error)
    case .apply: break
    }
    let outcome = try applyRequests(command, region: region, to: batch)
    applyState.sessions.record(write, outcome)
    return outcome
  }

  /// Adds a command's puts and deletes to `batch`, all or none: a request naming an unknown
  /// column family fails the command and adds nothing.
  private func applyRequests(
    _ command: RaftCmdpb_RaftCmdRequest, region: Metapb_Region, to batch: WriteBatch
  ) throws -> Result<Void, any Error> {
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
      case .deleteRange:
        let range = request.deleteRange
        let cf = ColumnFamily(range.cf.isEmpty ? "default" : range.cf)
        guard ColumnFamily.data.contains(cf) else { return .failure(Self.unknown(cf)) }
        // Clipped to the region, so a range deletion never reaches a neighbour's keys.
        let start =
          range.startKey.lexicographicallyPrecedes(region.startKey)
          ? region.startKey : range.startKey
        let end =
          region.endKey.isEmpty || range.endKey.lexicographicallyPrecedes(region.endKey)
          ? range.endKey : region.endKey
        if start.lexicographicallyPrecedes(end) {
          modifications.append(.deleteRange(cf, start: start, end: end))
        }
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
    RegionError.staleCommand("the entry was overwritten by a new leader")
  }

  /// The answer to a proposal whose entry this store will not apply because its peer of the
  /// region was removed first: the other peers may apply it.
  static func removedBeforeApplying(_ regionID: UInt64, storeID: UInt64) -> RegionError {
    RegionError.undetermined(
      "the peer of region \(regionID) on store \(storeID) was removed before applying the command")
  }
}
