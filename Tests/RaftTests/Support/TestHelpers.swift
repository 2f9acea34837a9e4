import Foundation
import TinyKVProto

@testable import Raft

typealias Core = RaftCore<MemoryStorage>
typealias Message = Eraftpb_Message
typealias Entry = Eraftpb_Entry
typealias MessageType = Eraftpb_MessageType

/// Options for test nodes, instead of positional booleans.
struct TestOptions {
  var electionTick = 10
  var heartbeatTick = 1
  var preVote = false
  var checkQuorum = false
  var disableProposalForwarding = false
  var maxInflight = 256
  var maxSizePerMsg: UInt64 = .max
  var applied: UInt64 = 0
}

func newTestConfig(
  _ id: UInt64, _ peers: [UInt64], storage: MemoryStorage, options: TestOptions = TestOptions()
) -> RaftConfig<MemoryStorage> {
  RaftConfig(
    id: id, peers: peers, electionTick: options.electionTick,
    heartbeatTick: options.heartbeatTick, storage: storage, applied: options.applied,
    preVote: options.preVote, checkQuorum: options.checkQuorum,
    disableProposalForwarding: options.disableProposalForwarding, maxInflightMsgs: options.maxInflight, maxSizePerMsg: options.maxSizePerMsg)
}

func newTestRaft(
  _ id: UInt64, _ peers: [UInt64], election: Int = 10, heartbeat: Int = 1,
  storage: MemoryStorage = MemoryStorage(), options: TestOptions = TestOptions()
) -> Core {
  var options = options
  options.electionTick = election
  options.heartbeatTick = heartbeat
  do {
    return try Core(config: newTestConfig(id, peers, storage: storage, options: options))
  } catch {
    fatalError("cannot create raft: \(error)")
  }
}

func newTestRawNode(
  _ id: UInt64, _ peers: [UInt64], election: Int = 10, heartbeat: Int = 1,
  storage: MemoryStorage, options: TestOptions = TestOptions()
) throws -> RawNode<MemoryStorage> {
  var options = options
  options.electionTick = election
  options.heartbeatTick = heartbeat
  return try RawNode(config: newTestConfig(id, peers, storage: storage, options: options))
}

/// A message, with the fields tests usually set.
func msg(
  _ type: MessageType, from: UInt64 = 0, to: UInt64 = 0, term: UInt64 = 0,
  logTerm: UInt64 = 0, index: UInt64 = 0, commit: UInt64 = 0, entries: [Entry] = [],
  reject: Bool = false
) -> Message {
  Message(
    type: type, to: to, from: from, term: term, logTerm: logTerm, index: index,
    commit: commit, entries: entries, reject: reject)
}

func entry(_ term: UInt64, _ index: UInt64, _ data: String = "") -> Entry {
  Entry(term: term, index: index, data: Data(data.utf8))
}

func proposal(from: UInt64 = 1, to: UInt64 = 1, _ data: String = "somedata") -> Message {
  msg(.msgPropose, from: from, to: to, entries: [entry(0, 0, data)])
}

func hup(_ id: UInt64) -> Message { msg(.msgHup, from: id, to: id) }

/// A storage holding entries with the given terms at indexes 1, 2, ...
func storageWithTerms(_ terms: [UInt64]) -> MemoryStorage {
  let storage = MemoryStorage()
  try? storage.append(terms.enumerated().map { entry($0.element, UInt64($0.offset + 1)) })
  return storage
}

/// A follower whose log holds entries of `terms`, at the last of those terms.
func raftWithTerms(
  _ terms: [UInt64], id: UInt64 = 1, options: TestOptions = TestOptions()
) -> Core {
  let storage = storageWithTerms(terms)
  var r = newTestRaft(id, [], storage: storage, options: options)
  r.reset(term: terms.last ?? 0)
  return r
}

/// A follower that voted for `vote` in `term`.
func raftThatVoted(
  _ vote: UInt64, term: UInt64, id: UInt64 = 1, options: TestOptions = TestOptions()
) -> Core {
  let storage = MemoryStorage()
  storage.setHardState(Eraftpb_HardState(term: term, vote: vote, commit: 0))
  var r = newTestRaft(id, [], storage: storage, options: options)
  r.reset(term: term)
  return r
}

extension RaftCore {
  /// Drains the outgoing messages.
  mutating func readMessages() -> [Eraftpb_Message] {
    let m = msgs
    msgs.removeAll()
    return m
  }

  /// Steps a message, ignoring the error (many tests feed messages that may be refused).
  mutating func stepIgnoringError(_ m: Eraftpb_Message) {
    try? step(m)
  }
}

extension RaftCore where Storage == MemoryStorage {
  /// Persists unstable entries into storage and marks them stable, as the application
  /// would; returns the committed entries to apply and marks them applied.
  mutating func persistAndApply() -> [Eraftpb_Entry] {
    try? log.storage.append(log.unstable.entries)
    if let last = log.unstable.entries.last { log.stable(to: last.index, term: last.term) }
    let ents = log.nextEntries()
    log.applied = log.committed
    return ents
  }

  /// The leader's view after a new leader committed its no-op: replies acknowledging
  /// every append, then drains messages and stabilises the log.
  mutating func commitNoopEntry() {
    precondition(role == .leader)
    bcastAppend()
    for m in readMessages() { stepIgnoringError(acceptAndReply(m)) }
    _ = readMessages()
    try? log.storage.append(log.unstable.entries)
    log.applied = log.committed
    log.stable(to: log.lastIndex, term: log.lastTerm)
  }
}

/// The acknowledgement a follower would send for append `m`.
func acceptAndReply(_ m: Message) -> Message {
  precondition(m.msgType == .msgAppend)
  return msg(
    .msgAppendResponse, from: m.to, to: m.from, term: m.term,
    index: m.index + UInt64(m.entries.count))
}

/// Compares entries by term, index, type and data.
func sameEntries(_ a: [Entry], _ b: [Entry]) -> Bool {
  a.count == b.count
    && zip(a, b).allSatisfy {
      $0.term == $1.term && $0.index == $1.index && $0.data == $1.data
        && $0.entryType == $1.entryType
    }
}

func terms(_ entries: [Entry]) -> [UInt64] { entries.map(\.term) }

/// A string dump of a log, for comparing logs of different nodes.
func logDump(_ r: Core) -> String {
  var s = "committed: \(r.log.committed)\napplied: \(r.log.applied)\n"
  for e in r.log.allEntries() { s += "\(e.index):\(e.term) \(e.data.count)\n" }
  return s
}
