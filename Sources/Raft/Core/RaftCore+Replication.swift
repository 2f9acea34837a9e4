import TinyKVProto

extension RaftCore {
  // MARK: Leader side

  /// Sends an append (or a snapshot) to `peer` if flow control allows.
  mutating func sendAppend(to peer: UInt64) {
    _ = maybeSendAppend(to: peer, sendIfEmpty: true)
  }

  /// Sends the entries from `peer`'s next index; a snapshot if they are compacted away.
  /// - Parameter sendIfEmpty: send even without entries (to carry the commit index).
  /// - Returns: whether a message was sent.
  mutating func maybeSendAppend(to peer: UInt64, sendIfEmpty: Bool) -> Bool {
    // Copy out only the fields needed: holding a copy of the Progress would share its
    // inflights buffer and make the `inflights.add` below copy it.
    guard let (next, state) = sendableProgress(peer) else { return false }
    let prevIndex = next - 1
    let prevTerm: UInt64
    let entries: [Eraftpb_Entry]
    do {
      prevTerm = try log.term(prevIndex)
      entries = try log.entries(from: next, maxSize: maxMsgSize)
    } catch {
      return sendSnapshot(to: peer)
    }
    if entries.isEmpty && !sendIfEmpty { return false }
    send(
      Eraftpb_Message(
        type: .msgAppend, to: peer, logTerm: prevTerm, index: prevIndex,
        commit: log.committed, entries: entries))
    if let last = entries.last?.index {
      switch state {
      case .replicate:
        tracker.progress[peer]!.optimisticUpdate(last)
        tracker.progress[peer]!.inflights.add(last)
      case .probe:
        tracker.progress[peer]!.probeSent = true
      case .snapshot:
        preconditionFailure("sending append in snapshot state")
      }
    } else if state == .probe {
      tracker.progress[peer]!.probeSent = true
    }
    return true
  }

  /// The next index and state of `peer`, or nil if sending to it is paused.
  private func sendableProgress(_ peer: UInt64) -> (next: UInt64, state: ProgressState)? {
    guard let pr = tracker.progress[peer], !pr.isPaused else { return nil }
    return (pr.next, pr.state)
  }

  private mutating func sendSnapshot(to peer: UInt64) -> Bool {
    // Only to a follower that has answered recently: snapshots are expensive.
    guard tracker.progress[peer]!.recentActive else { return false }
    guard let snapshot = try? log.snapshot(), !snapshot.isEmpty else { return false }
    var m = Eraftpb_Message(type: .msgSnapshot, to: peer)
    m.snapshot = snapshot
    tracker.progress[peer]!.becomeSnapshot(snapshot.metadata.index)
    send(m)
    return true
  }

  /// Sends appends to every peer.
  mutating func bcastAppend() {
    for peer in tracker.ids where peer != id { sendAppend(to: peer) }
  }

  /// Sends heartbeats to every peer.
  mutating func bcastHeartbeat() {
    for peer in tracker.ids where peer != id { sendHeartbeat(to: peer) }
  }

  mutating func sendHeartbeat(to peer: UInt64) {
    // Never tell a follower to commit past what it is known to hold.
    let commit = min(tracker.progress[peer]!.match, log.committed)
    var m = Eraftpb_Message(type: .msgHeartbeat, to: peer, commit: commit)
    m.readRound = readSeq
    send(m)
  }

  // MARK: Follower side

  mutating func handleAppend(_ m: Eraftpb_Message) {
    if m.index < log.committed {
      // Everything up to our commit index already matches; tell the leader.
      send(Eraftpb_Message(type: .msgAppendResponse, to: m.from, index: log.committed))
      return
    }
    if let lastNew = log.maybeAppend(
      index: m.index, logTerm: m.logTerm, committed: m.commit, entries: m.entries)
    {
      send(Eraftpb_Message(type: .msgAppendResponse, to: m.from, index: lastNew))
      return
    }
    // Reject, with a hint to skip a whole term of conflicting entries at once.
    let hint = log.findConflictByTerm(index: min(m.index, log.lastIndex), term: m.logTerm)
    var response = Eraftpb_Message(
      type: .msgAppendResponse, to: m.from, logTerm: hint.term, index: m.index, reject: true)
    response.rejectHint = hint.index
    send(response)
  }

  mutating func handleHeartbeat(_ m: Eraftpb_Message) {
    log.commit(to: m.commit)
    var response = Eraftpb_Message(type: .msgHeartbeatResponse, to: m.from)
    response.readRound = m.readRound
    send(response)
  }

  mutating func handleSnapshot(_ m: Eraftpb_Message) {
    if restore(m.snapshot) {
      send(Eraftpb_Message(type: .msgAppendResponse, to: m.from, index: log.lastIndex))
    } else {
      send(Eraftpb_Message(type: .msgAppendResponse, to: m.from, index: log.committed))
    }
  }

  /// Replaces the log and membership with `snapshot` if it is news to us.
  /// - Returns: whether the snapshot was accepted (the next ``Ready`` carries it).
  mutating func restore(_ snapshot: Eraftpb_Snapshot) -> Bool {
    let meta = snapshot.metadata
    if meta.index <= log.committed { return false }
    if role != .follower {
      becomeFollower(term: term + 1, lead: 0)
      return false
    }
    // A snapshot from a membership that does not include us is not for us.
    if !meta.confState.nodes.contains(id) { return false }
    if log.matchTerm(meta.index, meta.term) {
      // We already have the snapshot's entries: just commit them.
      log.commit(to: meta.index)
      return false
    }
    log.restore(snapshot)
    tracker = ProgressTracker(voters: meta.confState.nodes, maxInflight: tracker.maxInflight)
    let last = log.lastIndex
    for peer in tracker.ids {
      tracker.progress[peer] = Progress(
        match: peer == id ? last : 0, next: last + 1, maxInflight: tracker.maxInflight)
    }
    return true
  }
}
