import Foundation
import TinyKVProto
import Randomness

@testable import Raft

/// A seeded, randomized simulation of a Raft group over simulated disks and a faulty
/// network. Every event is chosen by the seed, so a run replays exactly.
///
/// Chaos phase: message drop, duplication, reordering and delay; partitions and heals;
/// crashes that keep only what was persisted, and restarts; proposals, membership changes,
/// leader transfers, snapshots with compaction, and ReadIndex reads. Heal phase: no more
/// faults; a leader must emerge and a new proposal must be applied by every member.
///
/// Checked after every event: Election Safety, Log Matching (per entry, through a registry
/// of (index, term) → entry and predecessor term; plus a full pairwise check at intervals),
/// Leader Completeness (when a leader is elected), State Machine Safety (no two nodes apply
/// different entries at one index) and read linearizability (a read index is at least every
/// index applied anywhere when the read was issued).
struct Simulator {
  struct Options {
    var nodes = 3
    var chaosEvents = 1500
    var healRounds = 300
    var faults: FaultInjection = []
  }

  struct Failure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
  }

  /// What survives a crash: the storage (entries, hard state, snapshot, conf state) and the
  /// application's applied index, written atomically with what it applied.
  final class Disk {
    let storage = MemoryStorage()
    var appliedIndex: UInt64 = 0
  }

  struct Key: Hashable {
    var index: UInt64
    var term: UInt64
  }

  struct Registered {
    var data: Data
    var type: Eraftpb_EntryType
    var prevTerm: UInt64
  }

  let seed: UInt64
  let options: Options
  var rng: SplitMix64
  let preVote: Bool
  let checkQuorum: Bool

  var disks: [UInt64: Disk] = [:]
  var nodes: [UInt64: RawNode<MemoryStorage>] = [:]
  /// Removed from the group and destroyed (never restarted, never re-added).
  var tombstoned: Set<UInt64> = []
  var nextFreshID: UInt64
  var pool: [Message] = []
  /// Partition group per node; messages cross only within a group.
  var group: [UInt64: Int] = [:]
  var dropRate = 0.0
  var duplicateRate = 0.0

  // Checker state.
  var leaders: [UInt64: UInt64] = [:]
  var registry: [Key: Registered] = [:]
  /// The applied history: `applied[i - 1]` is the entry every node applies at index i.
  var appliedHistory: [(term: UInt64, data: Data)] = []
  var pendingReads: [Data: UInt64] = [:]
  var readsConfirmed = 0
  var proposalCounter = 0
  var events = 0
  var trace: [String] = []
  var verboseTrace = false

  init(seed: UInt64, options: Options = Options()) {
    self.seed = seed
    self.options = options
    rng = SplitMix64(seed: seed)
    preVote = rng.next() % 2 == 0
    checkQuorum = rng.next() % 2 == 0
    nextFreshID = UInt64(options.nodes) + 1
    let ids = (1...UInt64(options.nodes)).map { $0 }
    // Bootstrap as a store does (TinyKV starts regions at index and term 5): the initial
    // membership lives in a snapshot, so a node added later, starting empty, is brought
    // up by a snapshot that carries the membership.
    var bootstrap = Eraftpb_Snapshot()
    bootstrap.metadata.index = 5
    bootstrap.metadata.term = 5
    bootstrap.metadata.confState = confState(ids)
    for _ in 1...5 { appliedHistory.append((term: 5, data: Data())) }
    for id in ids {
      let disk = Disk()
      try? disk.storage.applySnapshot(bootstrap)
      disk.storage.setHardState(Eraftpb_HardState(term: 5, vote: 0, commit: 5))
      disk.appliedIndex = 5
      disks[id] = disk
    }
    for id in ids { start(id) }
  }

  // MARK: Running

  /// Runs the chaos phase, then the heal phase; throws the first violation.
  mutating func run() throws(Failure) {
    for _ in 0..<options.chaosEvents {
      try chaosEvent()
    }
    try checkLogMatchingFully()
    try heal()
    try checkLogMatchingFully()
  }

  mutating func chance(_ p: Double) -> Bool {
    Double(rng.next() >> 11) / Double(1 << 53) < p
  }

  mutating func pick<T>(_ items: [T]) -> T? {
    items.isEmpty ? nil : items[Int(rng.next() % UInt64(items.count))]
  }

  var aliveIDs: [UInt64] { nodes.keys.sorted() }
  var crashedIDs: [UInt64] {
    disks.keys.filter { nodes[$0] == nil && !tombstoned.contains($0) }.sorted()
  }

  mutating func chaosEvent() throws(Failure) {
    events += 1
    let roll = rng.next() % 1000
    switch roll {
    case 0..<600:
      try deliverRandomMessage()
    case 600..<700:
      if let id = pick(aliveIDs) { try processReady(id) }
    case 700..<760:
      // One clock tick for every live node.
      for id in aliveIDs where nodes[id] != nil {
        nodes[id]!.tick()
        try check(id)
        try maybeProcessReady(id)
      }
    case 760..<860:
      if let id = pick(aliveIDs) {
        propose(at: id)
        try maybeProcessReady(id)
      }
    case 860..<868:
      repartition()
    case 868..<872:
      if aliveIDs.count > 1, let id = pick(aliveIDs) { crash(id) }
    case 872..<892:
      if let id = pick(crashedIDs) { start(id) }
    case 892..<902:
      changeMembership()
    case 902..<912:
      transferLeader()
    case 912..<952:
      if let id = pick(aliveIDs) { compact(id) }
    default:
      if let id = pick(aliveIDs) {
        requestRead(at: id)
        try maybeProcessReady(id)
      }
    }
  }

  /// Applications usually handle a node's Ready right after stepping it; sometimes it
  /// waits, so a crash can lose what was not yet persisted.
  mutating func maybeProcessReady(_ id: UInt64) throws(Failure) {
    if nodes[id] != nil && chance(0.85) { try processReady(id) }
  }

  /// No more faults: every live-able node restarts, the network heals, and within the
  /// round budget a leader must commit a new proposal that every member applies.
  mutating func heal() throws(Failure) {
    for id in disks.keys { group[id] = 0 }
    dropRate = 0
    duplicateRate = 0
    for id in crashedIDs { start(id) }
    let sentinel = Data("sentinel-\(seed)".utf8)
    var proposedAt = -100
    for round in 0..<options.healRounds {
      events += 1
      for id in aliveIDs { try processReady(id) }
      var batch = pool
      pool.removeAll()
      // Still reordered, but nothing is lost.
      for i in batch.indices.reversed() {
        let j = Int(rng.next() % UInt64(i + 1))
        batch.swapAt(i, j)
      }
      for m in batch { try deliver(m) }
      for id in aliveIDs { try processReady(id) }
      for id in aliveIDs where nodes[id] != nil {
        nodes[id]!.tick()
        try check(id)
      }
      // Stores snapshot their state now and then; a node added after the last snapshot
      // needs a newer one that includes it.
      if round % 20 == 19 { for id in aliveIDs { compact(id) } }
      guard let leader = aliveIDs.first(where: { nodes[$0]!.role == .leader }) else { continue }
      let appliedSentinel = appliedHistory.contains { $0.data == sentinel }
      if !appliedSentinel && round - proposedAt >= 20 {
        try? nodes[leader]!.propose(sentinel)
        proposedAt = round
      }
      if appliedSentinel {
        let members = nodes[leader]!.confState.nodes
        let index = UInt64(appliedHistory.firstIndex { $0.data == sentinel }! + 1)
        if members.allSatisfy({ (disks[$0]?.appliedIndex ?? 0) >= index }) { return }
      }
    }
    let status = aliveIDs.map { id in
      let n = nodes[id]!
      return
        "\(id): \(n.role) term \(n.term) lead \(n.leaderID) applied \(disks[id]!.appliedIndex) conf \(n.confState.nodes)"
    }
    if let leader = aliveIDs.first(where: { nodes[$0]!.role == .leader }) {
      let n = nodes[leader]!
      let snap = (try? disks[leader]!.storage.snapshot())?.metadata
      for (id, pr) in n.raft.tracker.progress.sorted(by: { $0.key < $1.key }) {
        trace.append(
          "progress \(id): \(pr.state) match \(pr.match) next \(pr.next) pending \(pr.pendingSnapshot) active \(pr.recentActive) probeSent \(pr.probeSent)"
        )
      }
      trace.append(
        "leader first \(n.raft.log.firstIndex) snapshot \(snap?.index ?? 0) conf \(snap?.confState.nodes ?? [])"
      )
    }
    throw fail(
      "liveness: no leader applied a new proposal on every member after healing\n  "
        + status.joined(separator: "\n  "))
  }

  // MARK: Events

  mutating func start(_ id: UInt64) {
    let disk = disks[id]!
    var config = RaftConfig(
      id: id, peers: [], electionTick: 10, heartbeatTick: 2, storage: disk.storage,
      applied: disk.appliedIndex, preVote: preVote, checkQuorum: checkQuorum,
      maxInflightMsgs: 4, maxSizePerMsg: 256, randomSeed: rng.next())
    config.maxCommittedSizePerReady = 512
    do {
      var node = try RawNode(config: config)
      node.raft.faults = options.faults
      nodes[id] = node
      group[id] = group[id] ?? 0
    } catch {
      preconditionFailure("restart of \(id) failed: \(error)")
    }
    trace.append("start \(id)")
  }

  mutating func crash(_ id: UInt64) {
    nodes[id] = nil
    trace.append("crash \(id)")
  }

  mutating func deliverRandomMessage() throws(Failure) {
    guard !pool.isEmpty else { return }
    let i = Int(rng.next() % UInt64(pool.count))
    let m = pool[i]
    if chance(duplicateRate) {
      // Leave a copy behind: delivered again later.
    } else {
      pool.swapAt(i, pool.count - 1)
      pool.removeLast()
    }
    if chance(dropRate) {
      snapshotDelivered(m, ok: false)
      return
    }
    try deliver(m)
  }

  mutating func deliver(_ m: Message) throws(Failure) {
    guard nodes[m.to] != nil, group[m.from] == group[m.to] else {
      snapshotDelivered(m, ok: false)
      return
    }
    try? nodes[m.to]!.step(m)
    snapshotDelivered(m, ok: true)
    try check(m.to)
    try maybeProcessReady(m.to)
  }

  /// The transport reports the fate of snapshots to their sender, as a real one does.
  mutating func snapshotDelivered(_ m: Message, ok: Bool) {
    guard m.msgType == .msgSnapshot, nodes[m.from] != nil else { return }
    nodes[m.from]!.reportSnapshot(m.to, succeeded: ok)
  }

  mutating func propose(at id: UInt64) {
    proposalCounter += 1
    try? nodes[id]!.propose(Data("p\(proposalCounter)".utf8))
  }

  mutating func repartition() {
    if chance(0.4) {
      for id in disks.keys { group[id] = 0 }
      dropRate = 0
      duplicateRate = 0
      trace.append("heal")
      return
    }
    for id in disks.keys.sorted() { group[id] = Int(rng.next() % 2) }
    dropRate = chance(0.5) ? 0.1 : 0
    duplicateRate = chance(0.5) ? 0.05 : 0
    trace.append("partition \(group.sorted { $0.key < $1.key }.map(\.value))")
  }

  mutating func changeMembership() {
    guard let leader = aliveIDs.first(where: { nodes[$0]!.role == .leader }) else { return }
    let members = nodes[leader]!.confState.nodes
    if members.count < options.nodes + 1 && chance(0.5) {
      let fresh = nextFreshID
      do {
        try nodes[leader]!.proposeConfChange(confChange(.addNode, fresh))
      } catch { return }
      nextFreshID += 1
      disks[fresh] = Disk()
      group[fresh] = group[leader]
      start(fresh)
      trace.append("propose add \(fresh) at \(leader)")
    } else if members.count > 3, let victim = pick(members) {
      do {
        try nodes[leader]!.proposeConfChange(confChange(.removeNode, victim))
      } catch { return }
      trace.append("propose remove \(victim) at \(leader)")
    }
  }

  mutating func transferLeader() {
    guard let leader = aliveIDs.first(where: { nodes[$0]!.role == .leader }),
      let target = pick(nodes[leader]!.confState.nodes)
    else { return }
    nodes[leader]!.transferLeader(to: target)
    trace.append("transfer \(leader) -> \(target)")
  }

  /// Snapshot at the applied index and compact the log, keeping a few entries.
  mutating func compact(_ id: UInt64) {
    let disk = disks[id]!
    let applied = disk.appliedIndex
    guard applied > 0 else { return }
    var cs = Eraftpb_ConfState()
    cs.nodes = (try? disk.storage.initialState().confState.nodes) ?? []
    _ = try? disk.storage.createSnapshot(
      index: applied, confState: cs, data: Data("state@\(applied)".utf8))
    let keep = rng.next() % 4
    if applied > keep { try? disk.storage.compact(applied - keep) }
  }

  mutating func requestRead(at id: UInt64) {
    let context = Data("r\(events)".utf8)
    let required = UInt64(appliedHistory.count)
    do {
      try nodes[id]!.readIndex(context)
      pendingReads[context] = required
    } catch {}
  }

  // MARK: The application's side of Ready

  mutating func processReady(_ id: UInt64) throws(Failure) {
    guard let node = nodes[id], node.hasReady else { return }
    let disk = disks[id]!
    let rd = nodes[id]!.ready()
    // Log Matching: every new entry agrees with every other node's entry at (index, term).
    for e in rd.entries {
      let prevTerm = (try? nodes[id]!.raft.log.term(e.index - 1)) ?? 0
      let key = Key(index: e.index, term: e.term)
      let entry = Registered(data: e.data, type: e.entryType, prevTerm: prevTerm)
      if let known = registry[key] {
        if known.data != entry.data || known.type != entry.type || known.prevTerm != entry.prevTerm
        {
          throw fail(
            "log matching: node \(id) has a different entry at index \(e.index) term \(e.term)")
        }
      } else {
        registry[key] = entry
      }
    }
    // 1. Persist.
    do {
      if let snap = rd.snapshot {
        try disk.storage.applySnapshot(snap)
        let index = snap.metadata.index
        if index <= UInt64(appliedHistory.count) {
          if appliedHistory[Int(index) - 1].term != snap.metadata.term {
            throw fail("state machine safety: snapshot at \(index) has term \(snap.metadata.term)")
          }
        } else {
          throw fail("snapshot at \(index) is beyond anything applied (\(appliedHistory.count))")
        }
        disk.appliedIndex = index
      }
      try disk.storage.append(rd.entries)
      if let hs = rd.hardState { disk.storage.setHardState(hs) }
    } catch let failure as Failure {
      throw failure
    } catch {
      throw fail("node \(id) cannot persist its Ready: \(error)")
    }
    // 2. Send.
    pool.append(contentsOf: rd.messages)
    // 3. Apply.
    for e in rd.committedEntries {
      guard e.index == disk.appliedIndex + 1 else {
        throw fail("node \(id) applies index \(e.index) after \(disk.appliedIndex)")
      }
      let i = Int(e.index) - 1
      if i < appliedHistory.count {
        if appliedHistory[i].term != e.term || appliedHistory[i].data != e.data {
          throw fail(
            "state machine safety: node \(id) applies a different entry at index \(e.index)")
        }
      } else {
        appliedHistory.append((e.term, e.data))
      }
      disk.appliedIndex = e.index
      if e.entryType == .entryConfChange, let cc = try? Eraftpb_ConfChange(serializedBytes: e.data)
      {
        let cs = nodes[id]!.applyConfChange(cc)
        disk.storage.setConfState(cs)
        if cc.changeType == .removeNode && cc.nodeID != id && !tombstoned.contains(cc.nodeID) {
          // Committed removal: the removed peer is destroyed, as a store would.
          tombstoned.insert(cc.nodeID)
          nodes[cc.nodeID] = nil
          trace.append("tombstone \(cc.nodeID)")
        }
      }
    }
    for rs in rd.readStates {
      if let required = pendingReads.removeValue(forKey: rs.requestContext) {
        readsConfirmed += 1
        if rs.index < required {
          throw fail(
            "linearizability: read at index \(rs.index) after index \(required) was applied")
        }
      }
    }
    // 4. Advance.
    nodes[id]!.advance(rd)
    if tombstoned.contains(id) { nodes[id] = nil }
  }

  // MARK: Checks

  /// Checks that run after every event on the node it touched.
  mutating func check(_ id: UInt64) throws(Failure) {
    guard let node = nodes[id], node.role == .leader else { return }
    let term = node.term
    if let other = leaders[term] {
      if other != id { throw fail("election safety: \(other) and \(id) both lead term \(term)") }
      return
    }
    leaders[term] = id
    trace.append(
      "leader \(id) term \(term) conf \(node.confState.nodes) applied \(node.raft.log.applied) commit \(node.raft.log.committed) last \(node.raft.log.lastIndex) votes \(node.raft.tracker.votes.filter(\.value).keys.sorted())"
    )
    // Leader Completeness: a new leader holds every entry applied anywhere.
    let log = node.raft.log
    let first = log.firstIndex
    if appliedHistory.count >= Int(first) {
      for index in first...UInt64(appliedHistory.count) {
        let t = try? log.term(index)
        if t != appliedHistory[Int(index) - 1].term {
          throw fail(
            "leader completeness: leader \(id) of term \(term) lacks applied entry \(index)")
        }
      }
    }
  }

  /// Log Matching over every pair of live nodes: where two logs hold an entry with the same
  /// index and term, they agree on everything before it.
  func checkLogMatchingFully() throws(Failure) {
    let ids = aliveIDs
    let logs = ids.map { nodes[$0]!.raft.log }
    for a in 0..<ids.count {
      for b in (a + 1)..<max(a + 1, ids.count) {
        let la = logs[a]
        let lb = logs[b]
        let lo = max(la.firstIndex, lb.firstIndex)
        let hi = min(la.lastIndex, lb.lastIndex)
        guard lo <= hi else { continue }
        var matched = false
        for index in stride(from: hi, through: lo, by: -1) {
          let ta = try? la.term(index)
          let tb = try? lb.term(index)
          if ta == tb {
            matched = true
          } else if matched {
            throw fail(
              "log matching: nodes \(ids[a]) and \(ids[b]) agree after index \(index) but not at it"
            )
          }
        }
      }
    }
  }

  func confState(_ ids: [UInt64]) -> Eraftpb_ConfState {
    var cs = Eraftpb_ConfState()
    cs.nodes = ids
    return cs
  }

  func fail(_ message: String) -> Failure {
    Failure(
      message:
        "seed \(seed) (\(options.nodes) nodes, preVote \(preVote), checkQuorum \(checkQuorum)), event \(events): \(message)\n  last events: \(trace.suffix(verboseTrace ? 400 : 12).joined(separator: "; "))"
    )
  }
}
