import Foundation
import Raft
import Storage
import TinyKVProto

/// The reads of one raft round, confirmed by one ReadIndex: the term they were issued in (Raft
/// drops pending reads when leadership changes, even back to this peer), when the ReadIndex
/// heartbeats left (a quorum's answer renews the lease from then), and each read with the
/// region's epoch version it was checked at (a split before it is served moves keys away: it
/// must then fail, not read a narrower range).
struct ReadRound {
  var term: UInt64
  var sentAt: ContinuousClock.Instant
  var reads: [(version: UInt64, callback: ReadCallback)]
}

extension Peer {
  /// Takes a linearizable read for this round's ReadIndex, or answers its error.
  func takeRead(_ context: Kvrpcpb_Context, _ callback: @escaping ReadCallback) {
    if let error = check(context, keys: EmptyCollection()) {
      callback(.failure(error))
    } else if node.role != .leader {
      callback(.failure(notLeader()))
    } else {
      roundReads.append((region.regionEpoch.version, callback))
    }
  }

  /// Issues one ReadIndex for every read taken this round (and for a lease renewal asked for):
  /// one heartbeat broadcast confirms them all.
  func issueRoundReads() {
    guard !roundReads.isEmpty || wantsLeaseRenewal else { return }
    let reads = roundReads
    roundReads = []
    wantsLeaseRenewal = false
    guard node.role == .leader else {
      let error = notLeader()
      for read in reads { read.callback(.failure(error)) }
      return
    }
    let id = nextReadID
    nextReadID += 1
    let sentAt = context.localReader.now()
    do {
      try node.readIndex(withUnsafeBytes(of: id.bigEndian) { Data($0) })
      pendingReads[id] = ReadRound(term: node.term, sentAt: sentAt, reads: reads)
    } catch {
      let error = notLeader()
      for read in reads { read.callback(.failure(error)) }
    }
  }

  /// The reads confirmed by `ready`'s read states, each with its read index; a confirmation
  /// renews the lease from when its heartbeats left.
  func confirmedReads(_ ready: Ready) -> [PendingRead] {
    var confirmed: [PendingRead] = []
    for state in ready.readStates {
      guard state.requestContext.count == 8 else { continue }
      let id = state.requestContext.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
      guard let round = pendingReads.removeValue(forKey: id) else { continue }
      if round.term == node.term && node.role == .leader {
        renewLease(sentAt: round.sentAt)
      }
      confirmed += round.reads.map {
        PendingRead(index: state.index, checkedVersion: $0.version, callback: $0.callback)
      }
    }
    return confirmed
  }

  /// Answers the pending reads Raft dropped at a leadership change (also when this peer is
  /// elected again in a later term): those of an older term, or all when no longer leader
  /// (`StaleCommand` if this peer leads again, as TiKV answers a dropped read).
  func failDroppedReads() {
    guard !pendingReads.isEmpty else { return }
    let error =
      node.role == .leader
      ? RegionError.staleCommand("the read was dropped by a term change") : notLeader()
    let term = node.term
    for (id, round) in pendingReads where node.role != .leader || round.term != term {
      for read in round.reads { read.callback(.failure(error)) }
      pendingReads[id] = nil
    }
  }

  /// Notes a round of proposals ending at `index`, sent now: its commitment renews the lease.
  func noteProposals(through index: UInt64) {
    guard context.localReader.duration != nil else { return }
    proposalRounds.append((index, node.term, context.localReader.now()))
  }

  /// A quorum holds the log through `index`: the proposal rounds it covers renew the lease
  /// from when the newest of them was sent.
  func renewLease(committedThrough index: UInt64) {
    var newest: ContinuousClock.Instant?
    while let round = proposalRounds.first, round.index <= index {
      proposalRounds.removeFirst()
      if round.term == node.term { newest = round.sentAt }
    }
    if let newest, node.role == .leader { renewLease(sentAt: newest) }
  }

  private func renewLease(sentAt: ContinuousClock.Instant) {
    guard node.leadTransferee == 0 else { return }
    context.localReader.renew(regionID, term: node.term, sentAt: sentAt)
    holdsLease = true
  }

  /// A leader new in its term notes its first entry (appended when it won, sent at the end of
  /// this round), whose commitment gives it its first lease. Called before the round's messages
  /// leave, so the time noted is no later than the sending.
  func noteLeadership() {
    guard node.role == .leader && leaseTerm != node.term else { return }
    leaseTerm = node.term
    noteProposals(through: node.lastIndex)
  }

  /// Ends the lease once this peer no longer leads or is handing leadership over.
  func checkLease() {
    guard holdsLease, node.role != .leader || node.leadTransferee != 0 else { return }
    endLease()
  }

  /// Ends this peer's lease at once: reads go through Raft until a quorum renews it.
  func endLease() {
    holdsLease = false
    proposalRounds = []
    context.localReader.end(regionID)
  }
}
