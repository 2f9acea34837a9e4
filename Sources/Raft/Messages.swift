import Foundation
import TinyKVProto

/// Message types beyond TinyKV's `eraftpb.MessageType`, carried as unrecognised enum values
/// so they travel unchanged inside `raft_serverpb.RaftMessage`.
extension Eraftpb_MessageType {
  /// Pre-vote request: "would you vote for me at term `term`?" (no state changes).
  public static var msgPreVote: Eraftpb_MessageType { .UNRECOGNIZED(101) }
  /// Answer to ``msgPreVote``.
  public static var msgPreVoteResponse: Eraftpb_MessageType { .UNRECOGNIZED(102) }
  /// A linearizable read request; `entries[0].data` holds the caller's context.
  public static var msgReadIndex: Eraftpb_MessageType { .UNRECOGNIZED(103) }
  /// The leader's answer to a forwarded ``msgReadIndex``: `index` is the read index,
  /// `entries[0].data` the context.
  public static var msgReadIndexResponse: Eraftpb_MessageType { .UNRECOGNIZED(104) }

  /// Whether the type is a (pre-)vote request.
  public var isVoteRequest: Bool { self == .msgRequestVote || self == .msgPreVote }

  /// Whether the message is generated inside the node and never crosses the network.
  var isLocal: Bool { self == .msgHup || self == .msgBeat }

  /// Whether the message is a response that must come from a known peer.
  var isResponse: Bool {
    switch self {
    case .msgAppendResponse, .msgRequestVoteResponse, .msgHeartbeatResponse,
      .msgPreVoteResponse:
      return true
    default:
      return false
    }
  }
}

extension Eraftpb_Message {
  /// Builds a message; fields not given keep their protobuf defaults.
  init(
    type: Eraftpb_MessageType, to: UInt64 = 0, from: UInt64 = 0, term: UInt64 = 0,
    logTerm: UInt64 = 0, index: UInt64 = 0, commit: UInt64 = 0,
    entries: [Eraftpb_Entry] = [], reject: Bool = false
  ) {
    self.init()
    self.msgType = type
    self.to = to
    self.from = from
    self.term = term
    self.logTerm = logTerm
    self.index = index
    self.commit = commit
    self.entries = entries
    self.reject = reject
  }

  /// On a rejected ``Eraftpb_MessageType/msgAppendResponse``: the follower's hint, the
  /// largest index at or below the rejected one whose term is at most `logTerm`.
  /// (TinyKV's message has no hint field; the `commit` field carries it.)
  var rejectHint: UInt64 {
    get { commit }
    set { commit = newValue }
  }

  /// On a vote request: the campaign was started by a leadership transfer
  /// (``Eraftpb_MessageType/msgTimeoutNow``), so receivers skip the leader-lease check.
  /// Carried in the otherwise unused `reject` field of requests.
  var isTransferCampaign: Bool {
    get { reject }
    set { reject = newValue }
  }

  /// On heartbeats and their responses: the read round (``RaftCore/readSeq``) the
  /// heartbeat confirms. Carried in the otherwise unused `index` field.
  var readRound: UInt64 {
    get { index }
    set { index = newValue }
  }
}

extension Eraftpb_Entry {
  /// Builds an entry.
  init(
    term: UInt64, index: UInt64, data: Data = Data(),
    type: Eraftpb_EntryType = .entryNormal
  ) {
    self.init()
    self.term = term
    self.index = index
    self.data = data
    self.entryType = type
  }

  /// Approximate encoded size, used for byte limits.
  var approximateSize: UInt64 { UInt64(data.count + 12) }
}

extension Eraftpb_HardState {
  /// Builds a hard state.
  public init(term: UInt64, vote: UInt64, commit: UInt64) {
    self.init()
    self.term = term
    self.vote = vote
    self.commit = commit
  }

  /// Whether this is the zero hard state (nothing persisted yet).
  public var isEmpty: Bool { term == 0 && vote == 0 && commit == 0 }
}

extension Eraftpb_Snapshot {
  /// Whether the snapshot is empty (index 0).
  public var isEmpty: Bool { metadata.index == 0 }
}
