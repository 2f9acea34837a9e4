import Foundation
import TinyKVProto

/// ReadIndex: a linearizable read without appending to the log.
///
/// The leader records its commit index as the read index, then confirms it is still the
/// leader by a round of heartbeats: each heartbeat carries the latest read round
/// (`readSeq`), followers echo it, and once a quorum has echoed round `r`, every read of
/// round `r` or earlier is confirmed. A new leader first commits an entry of its term (its
/// commit index may lag before that), so reads arriving earlier wait.
extension RaftCore {
  mutating func handleReadIndex(_ m: Eraftpb_Message) {
    let context = m.entries.first?.data ?? Data()
    if tracker.voters.count <= 1 {
      respondToRead(from: m.from, index: log.committed, context: context)
      return
    }
    guard committedEntryInCurrentTerm else {
      pendingReadIndexMessages.append(m)
      return
    }
    readSeq += 1
    pendingReads.append(
      PendingRead(round: readSeq, index: log.committed, from: m.from, context: context))
    bcastHeartbeat()
  }

  var committedEntryInCurrentTerm: Bool {
    (try? log.term(log.committed)) == term
  }

  mutating func releasePendingReadIndexMessages() {
    guard !pendingReadIndexMessages.isEmpty, committedEntryInCurrentTerm else { return }
    let pending = pendingReadIndexMessages
    pendingReadIndexMessages.removeAll()
    for m in pending { handleReadIndex(m) }
  }

  /// `peer` answered a heartbeat of read round `round`.
  mutating func handleReadAck(from peer: UInt64, round: UInt64) {
    guard !pendingReads.isEmpty, round > (readAcks[peer] ?? 0) else { return }
    readAcks[peer] = round
    let me = id
    let latest = readSeq
    let confirmed = tracker.voters.committedIndex { $0 == me ? latest : self.readAcks[$0] }
    var released = 0
    while released < pendingReads.count && pendingReads[released].round <= confirmed {
      let read = pendingReads[released]
      respondToRead(from: read.from, index: read.index, context: read.context)
      released += 1
    }
    pendingReads.removeFirst(released)
  }

  private mutating func respondToRead(from: UInt64, index: UInt64, context: Data) {
    if from == 0 || from == id {
      readStates.append(ReadState(index: index, requestContext: context))
    } else {
      send(
        Eraftpb_Message(
          type: .msgReadIndexResponse, to: from, index: index,
          entries: [Eraftpb_Entry(term: 0, index: 0, data: context)]))
    }
  }
}
