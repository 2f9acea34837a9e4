import TinyKVProto

extension RaftCore {
  /// The leader's step function.
  mutating func stepLeader(_ m: Eraftpb_Message) throws(RaftError) {
    switch m.msgType {
    case .msgBeat:
      bcastHeartbeat()
      return
    case .msgPropose:
      try handlePropose(m)
      return
    case .msgReadIndex:
      handleReadIndex(m)
      return
    case .msgTransferLeader:
      handleTransferLeader(m)
      return
    default:
      break
    }

    // Everything else is a response from a peer we track.
    guard tracker.progress[m.from] != nil else { return }
    switch m.msgType {
    case .msgAppendResponse:
      handleAppendResponse(m)
    case .msgHeartbeatResponse:
      handleHeartbeatResponse(m)
    default:
      break
    }
  }

  private mutating func handlePropose(_ m: Eraftpb_Message) throws(RaftError) {
    if m.entries.isEmpty { return }
    // A leader removed from the group (not yet stepped down) accepts nothing.
    guard tracker.contains(id) else { throw .proposalDropped }
    // During a transfer the old leader refuses proposals; the new one takes them.
    guard leadTransferee == 0 else { throw .proposalDropped }
    var confChanges = 0
    for e in m.entries where e.entryType == .entryConfChange { confChanges += 1 }
    if confChanges > 0 {
      // One membership change at a time: the previous one must be applied first.
      if confChanges > 1 || pendingConfIndex > log.applied {
        throw RaftError(
          code: .proposalDropped,
          message:
            "a conf change is already pending (index \(pendingConfIndex), applied \(log.applied))")
      }
    }
    let first = log.lastIndex + 1
    appendEntries(m.entries)
    if confChanges > 0 {
      for (i, e) in m.entries.enumerated() where e.entryType == .entryConfChange {
        pendingConfIndex = first + UInt64(i)
      }
    }
    bcastAppend()
  }

  /// Appends `entries` to the leader's log at the current term.
  mutating func appendEntries(_ entries: [Eraftpb_Entry]) {
    var entries = entries
    var index = log.lastIndex
    for i in entries.indices {
      index += 1
      entries[i].term = term
      entries[i].index = index
    }
    let last = log.append(entries)
    if tracker.progress[id] != nil { _ = tracker.progress[id]!.maybeUpdate(last) }
    _ = maybeCommit()
  }

  /// Advances the commit index to what a quorum has replicated.
  /// - Returns: whether it advanced.
  mutating func maybeCommit() -> Bool {
    log.maybeCommit(tracker.committed(), term: term)
  }

  private mutating func handleAppendResponse(_ m: Eraftpb_Message) {
    let from = m.from
    tracker.progress[from]!.recentActive = true
    if m.reject {
      // Fast backtracking: jump to the last index where our term is at most the
      // follower's term at its hint (see `RaftLog.findConflictByTerm`).
      var nextProbe = m.rejectHint
      if m.logTerm > 0 {
        nextProbe = log.findConflictByTerm(index: m.rejectHint, term: m.logTerm).index
      }
      if tracker.progress[from]!.maybeDecrease(rejected: m.index, matchHint: nextProbe) {
        if tracker.progress[from]!.state == .replicate { tracker.progress[from]!.becomeProbe() }
        sendAppend(to: from)
      }
      return
    }

    let oldPaused = tracker.progress[from]!.isPaused
    guard tracker.progress[from]!.maybeUpdate(m.index) else { return }
    switch tracker.progress[from]!.state {
    case .probe:
      tracker.progress[from]!.becomeReplicate()
    case .snapshot:
      let match = tracker.progress[from]!.match
      if match >= tracker.progress[from]!.pendingSnapshot || match + 1 >= log.firstIndex {
        // The snapshot (or enough of the log) arrived: probe from there, then stream.
        tracker.progress[from]!.becomeProbe()
        tracker.progress[from]!.becomeReplicate()
      }
    case .replicate:
      tracker.progress[from]!.inflights.free(upTo: m.index)
    }

    if maybeCommit() {
      releasePendingReadIndexMessages()
      bcastAppend()
    } else if oldPaused {
      sendAppend(to: from)
    }
    // Fill the window while there is something to send.
    while maybeSendAppend(to: from, sendIfEmpty: false) {}
    if from == leadTransferee && tracker.progress[from]!.match == log.lastIndex {
      sendTimeoutNow(to: from)
    }
  }

  private mutating func handleHeartbeatResponse(_ m: Eraftpb_Message) {
    let from = m.from
    tracker.progress[from]!.recentActive = true
    tracker.progress[from]!.probeSent = false
    if tracker.progress[from]!.state == .replicate && tracker.progress[from]!.inflights.isFull {
      tracker.progress[from]!.inflights.freeFirst()
    }
    if tracker.progress[from]!.match < log.lastIndex { sendAppend(to: from) }
    handleReadAck(from: from, round: m.readRound)
  }

  // MARK: Leadership transfer

  private mutating func handleTransferLeader(_ m: Eraftpb_Message) {
    let transferee = m.from
    guard tracker.contains(transferee) else { return }
    if leadTransferee != 0 {
      if leadTransferee == transferee { return }  // already under way
      abortLeaderTransfer()
    }
    if transferee == id { return }  // already leader
    // The transfer must finish within one election timeout.
    electionElapsed = 0
    leadTransferee = transferee
    if tracker.progress[transferee]!.match == log.lastIndex {
      sendTimeoutNow(to: transferee)
    } else {
      sendAppend(to: transferee)
    }
  }

  mutating func sendTimeoutNow(to peer: UInt64) {
    send(Eraftpb_Message(type: .msgTimeoutNow, to: peer))
  }

  mutating func abortLeaderTransfer() { leadTransferee = 0 }
}
