import Engine
import Foundation
import Raft
import Storage
import TinyKVProto

extension Peer {
  /// On each tick: every `splitCheckTicks`, a leader whose region took `splitCheckDiff` bytes
  /// of writes since its last check (or was never checked since start) scans it on the
  /// split-check queue (`SplitChecker`). Regions never split on a store without a split-id
  /// allocator.
  func tickSplitCheck() {
    ticksSinceSplitCheck += 1
    let config = context.config
    guard ticksSinceSplitCheck >= config.splitCheckTicks else { return }
    ticksSinceSplitCheck = 0
    guard node.role == .leader, !splitCheckInFlight, context.splitIDs != nil,
      approximateSize == nil || bytesWrittenSinceSplitCheck >= config.splitCheckDiff
    else { return }
    splitCheckInFlight = true
    bytesWrittenSinceSplitCheck = 0
    let (region, regionID, kvDB, router) = (region, regionID, storage.kvDB, context.router)
    // The byte count above grows when writes are proposed, and was just reset: the check must
    // see them, or a burst followed by silence (one large batch) is measured before it is
    // applied and never again. So the worker first waits (briefly) for the apply loop to reach
    // the last index proposed so far.
    let proposedUpTo = node.lastIndex
    context.queues.splitCheck {
      Self.waitUntilApplied(proposedUpTo, regionID: regionID, kvDB: kvDB)
      let check = try? SplitChecker.check(
        kvDB.snapshot(), region: region, thresholds: config.splitThresholds,
        align: config.splitKeyAlignment)
      router.send(.splitChecked(epoch: region.regionEpoch, check), to: regionID)
    }
  }

  /// Polls the region's stored apply state until it reaches `index`, for at most 2 seconds
  /// (a leader that lost its lease may never apply it; the check then goes on with what is
  /// there, as before).
  static func waitUntilApplied(_ index: UInt64, regionID: UInt64, kvDB: Database) {
    let deadline = ContinuousClock.now + .seconds(2)
    while ContinuousClock.now < deadline {
      guard let bytes = try? kvDB.get(.meta, Keys.applyStateKey(regionID)),
        let state = try? RaftServerpb_RaftApplyState(serializedBytes: bytes),
        state.appliedIndex < index
      else { return }
      Thread.sleep(forTimeInterval: 0.01)
    }
  }

  /// A split check finished: its size estimate is kept for heartbeats, and a split key found
  /// at the current epoch starts a split.
  func splitChecked(epoch: Metapb_RegionEpoch, _ check: SplitCheck?) {
    splitCheckInFlight = false
    guard let check, epoch == region.regionEpoch else { return }
    approximateSize = check.size
    approximateKeys = check.keys
    if let key = check.splitKey {
      proposeSplit(SplitCommand(key: key, epoch: epoch, ids: nil, callback: nil))
    }
  }

  /// Proposes the admin `Split` command if this peer leads the region at the command's epoch
  /// and the key is strictly inside the region. Without ids, asks the allocator first (off the
  /// raft thread); the command comes back to the mailbox with them.
  func proposeSplit(_ command: SplitCommand) {
    let callback = command.callback ?? { _ in }
    guard node.role == .leader else { return callback(.failure(notLeader())) }
    guard command.epoch == region.regionEpoch else {
      return callback(.failure(RegionError.epochNotMatch(region)))
    }
    guard region.canSplit(at: command.key) else {
      return callback(.failure(Self.invalidSplit("split key is not inside region \(regionID)")))
    }
    guard let ids = command.ids else { return allocateSplitIDs(command, callback) }
    guard ids.peerIDs.count == region.peers.count, ids.regionID != 0 else {
      return callback(.failure(Self.invalidSplit("split ids do not match the region's peers")))
    }
    var request = self.command()
    request.adminRequest.cmdType = .split
    request.adminRequest.split.splitKey = command.key
    request.adminRequest.split.newRegionID = ids.regionID
    request.adminRequest.split.newPeerIds = ids.peerIDs
    do {
      try node.propose(request.serializedData())
    } catch {
      return callback(.failure(error))
    }
    proposals.append(Proposal(index: node.lastIndex, term: node.term, callback: callback))
  }

  private func allocateSplitIDs(_ command: SplitCommand, _ callback: @escaping WriteCallback) {
    guard let allocator = context.splitIDs else {
      return callback(.failure(Self.invalidSplit("this store has no split-id allocator")))
    }
    let (region, regionID, router, storeID) = (region, regionID, context.router, context.storeID)
    Task {
      do {
        var command = command
        command.ids = try await allocator.splitIDs(for: region)
        if !router.send(.split(command), to: regionID) {
          callback(.failure(RegionError.regionNotFound(regionID, storeID: storeID)))
        }
      } catch {
        callback(.failure(error))
      }
    }
  }

  /// The apply loop applied a split of this peer's region: it now serves `region` (the keys
  /// before the split key). Its size is measured again, and a leader reports at its next tick.
  func splitApplied(_ region: Metapb_Region) {
    storage.setRegion(region)
    approximateSize = nil
    approximateKeys = nil
    heartbeatTerm = 0
  }

  static func invalidSplit(_ message: String) -> EngineError {
    EngineError(code: .invalidArgument, message: message)
  }
}
