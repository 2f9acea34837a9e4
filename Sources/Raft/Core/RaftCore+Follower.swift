import TinyKVProto

extension RaftCore {
  /// The follower's step function.
  mutating func stepFollower(_ m: Eraftpb_Message) throws(RaftError) {
    switch m.msgType {
    case .msgPropose:
      if lead == 0 || disableProposalForwarding { throw .proposalDropped }
      var forward = m
      forward.to = lead
      send(forward)
    case .msgAppend:
      electionElapsed = 0
      lead = m.from
      handleAppend(m)
    case .msgHeartbeat:
      electionElapsed = 0
      lead = m.from
      handleHeartbeat(m)
    case .msgSnapshot:
      electionElapsed = 0
      lead = m.from
      handleSnapshot(m)
    case .msgTransferLeader:
      if lead == 0 { return }
      var forward = m
      forward.to = lead
      send(forward)
    case .msgTimeoutNow:
      // The leader asks us to take over: campaign at once, skipping pre-vote and lease.
      hup(transfer: true)
    case .msgReadIndex:
      if lead == 0 { throw .proposalDropped }
      var forward = m
      forward.to = lead
      send(forward)
    case .msgReadIndexResponse:
      guard let context = m.entries.first?.data, m.entries.count == 1 else { return }
      readStates.append(ReadState(index: m.index, requestContext: context))
    default:
      break
    }
  }

  /// The step function of candidates and pre-candidates.
  mutating func stepCandidate(_ m: Eraftpb_Message) throws(RaftError) {
    let myVoteResponse: Eraftpb_MessageType =
      role == .preCandidate ? .msgPreVoteResponse : .msgRequestVoteResponse
    switch m.msgType {
    case .msgPropose:
      throw .proposalDropped
    case .msgReadIndex:
      throw .proposalDropped
    case .msgAppend:
      becomeFollower(term: m.term, lead: m.from)
      handleAppend(m)
    case .msgHeartbeat:
      becomeFollower(term: m.term, lead: m.from)
      handleHeartbeat(m)
    case .msgSnapshot:
      becomeFollower(term: m.term, lead: m.from)
      handleSnapshot(m)
    case myVoteResponse:
      switch poll(m.from, granted: !m.reject) {
      case .won:
        if role == .preCandidate {
          campaign(preElection: false, transfer: false)
        } else {
          becomeLeader()
          bcastAppend()
        }
      case .lost:
        // A pre-vote or vote rejected by a majority: back to follower at our term.
        becomeFollower(term: term, lead: 0)
      case .pending:
        break
      }
    default:
      break
    }
  }
}
