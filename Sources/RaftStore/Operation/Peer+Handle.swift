import Foundation
import Raft
import Storage
import TinyKVProto

extension Peer {
  /// Handles one poll round's messages for this peer, in order. The round's writes are proposed
  /// together with one `propose(contentsOf:)` at the end (consecutive indexes, one broadcast).
  func handle(_ messages: [PeerMessage]) {
    var writes: [WriteCommand] = []
    for message in messages {
      if isDestroyed {
        message.fail(RegionError.regionNotFound(regionID, storeID: context.storeID))
        continue
      }
      if isPendingRemoval {
        if case .tombstoneWritten = message { destroy() }
        message.fail(RegionError.regionNotFound(regionID, storeID: context.storeID))
        continue
      }
      switch message {
      case .tick:
        node.tick()
        tickLogGC()
        tickRegionHeartbeat()
        tickSplitCheck()
      case .logCompacted(let truncated):
        logCompacted(truncated)
      case .snapshotGenerated(let snapshot):
        snapshotGenerated(snapshot)
      case .report(let report):
        handle(report)
      case .transferLeader(let peer, let epoch):
        transferLeadership(to: peer, epoch: epoch)
      case .changePeer(let command):
        proposeChangePeer(command)
      case .confChangeApplied(let change, let region):
        confChangeApplied(change, region: region)
      case .raft(let envelope):
        receive(envelope)
      case .splitChecked(let epoch, let check):
        splitChecked(epoch: epoch, check)
      case .split(let command):
        proposeSplit(command)
      case .tombstoneWritten:
        continue  // only sent to a peer pending removal
      case .write(let command):
        if let error = check(command.context, modifications: command.modifications) {
          command.callback(.failure(error))
        } else if node.role != .leader {
          command.callback(.failure(notLeader()))
        } else {
          writes.append(command)
        }
      case .read(let context, let callback):
        takeRead(context, callback)
      case .renewLease:
        wantsLeaseRenewal = node.role == .leader
      }
    }
    propose(writes)
    issueRoundReads()
    noteLeadership()
    checkLease()
  }

  private func propose(_ writes: [WriteCommand]) {
    guard !writes.isEmpty else { return }
    // Each write was taken while this peer led, but a later message of the same round (a
    // higher term's message, a tick's check-quorum) may have made it a follower since. Raft
    // would then forward the batch to the leader instead of appending it here, and nothing
    // would ever answer these callbacks: refuse them now.
    guard node.role == .leader else {
      let error = notLeader()
      for write in writes { write.callback(.failure(error)) }
      return
    }
    var batch: [Data] = []
    batch.reserveCapacity(writes.count)
    var encoded: [WriteCommand] = []
    for write in writes {
      do {
        batch.append(try Self.encode(write, region: region, peer: meta, term: node.term))
        encoded.append(write)
      } catch {
        write.callback(.failure(error))
      }
    }
    bytesWrittenSinceSplitCheck += UInt64(batch.reduce(0) { $0 + $1.count })
    let firstIndex = node.lastIndex + 1
    do {
      try node.propose(contentsOf: batch)
    } catch {
      // Still the leader: Raft dropped the batch for a leadership transfer under way.
      let error =
        node.role == .leader
        ? RegionError.staleCommand("dropped during a leadership transfer") : notLeader()
      for write in encoded { write.callback(.failure(error)) }
      return
    }
    precondition(
      node.lastIndex == firstIndex + UInt64(batch.count) - 1,
      "region \(regionID): a batch of \(batch.count) proposals was not appended at \(firstIndex)")
    let term = node.term
    let version = region.regionEpoch.version
    for (offset, write) in encoded.enumerated() {
      proposals.append(
        Proposal(
          index: firstIndex + UInt64(offset), term: term, callback: write.callback,
          plainWriteVersion: write.context.hasWriteSession ? nil : version))
    }
    noteProposals(through: node.lastIndex)
  }

  /// Encodes a write as the `RaftCmdRequest` its entry carries.
  static func encode(
    _ write: WriteCommand, region: Metapb_Region, peer: Metapb_Peer, term: UInt64
  ) throws -> Data {
    var command = RaftCmdpb_RaftCmdRequest()
    command.header.regionID = region.id
    command.header.peer = peer
    command.header.regionEpoch = region.regionEpoch
    command.header.term = term
    if write.context.hasWriteSession {
      command.header.writeSession = write.context.writeSession
      command.header.proposedAtMs = UInt64(Date().timeIntervalSince1970 * 1000)
    }
    command.requests = write.modifications.map { modification in
      var request = RaftCmdpb_Request()
      switch modification {
      case .put(let cf, let key, let value):
        request.cmdType = .put
        request.put.cf = cf.name
        request.put.key = key
        request.put.value = value
      case .delete(let cf, let key):
        request.cmdType = .delete
        request.delete.cf = cf.name
        request.delete.key = key
      case .deleteRange(let cf, let start, let end):
        request.cmdType = .deleteRange
        request.deleteRange.cf = cf.name
        request.deleteRange.startKey = start
        request.deleteRange.endKey = end
      }
      return request
    }
    return try command.serializedData()
  }

  /// Fails every waiting read with `error`, and every waiting proposal with `UndeterminedResult`
  /// citing `reason` (the store stops, or the peer was removed): their entries are in the log
  /// and the other replicas may still commit them.
  func failEverything(_ error: any Error, because reason: String) {
    let undetermined = RegionError.undetermined(
      "\(reason) while the command was in its log; the other replicas may still apply it")
    for proposal in proposals { proposal.callback(.failure(undetermined)) }
    proposals = []
    for read in pendingReads.values.flatMap(\.reads) + roundReads {
      read.callback(.failure(error))
    }
    pendingReads = [:]
    roundReads = []
  }
}
