import Foundation
import Raft
import Storage
import TinyKVProto

/// One region's peer on this store: its Raft node, its storage, and the proposals and reads it
/// is waiting on. Confined to the raft loop's thread.
final class Peer {
  /// This peer's id and store.
  let meta: Metapb_Peer
  /// Log and metadata.
  let storage: PeerStorage
  /// The Raft state machine (reads `storage`; the raft loop writes it).
  var node: RawNode<PeerStorage>
  /// Accepted proposals not yet handed to the apply loop, in index order.
  var proposals: [Proposal] = []
  /// ReadIndex requests not yet confirmed, by request context: one per raft round that had
  /// reads (or wanted its lease renewed).
  var pendingReads: [UInt64: ReadRound] = [:]
  /// The next ReadIndex request context.
  var nextReadID: UInt64 = 1
  /// The reads taken this round, confirmed together by one ReadIndex at its end.
  var roundReads: [(version: UInt64, callback: ReadCallback)] = []
  /// A ReadIndex is wanted this round even without reads: the lease is running out.
  var wantsLeaseRenewal = false
  /// Rounds of proposals not yet committed: their last index, term and when they were sent.
  /// Their commitment renews the lease (``renewLease(committedThrough:)``).
  var proposalRounds: [(index: UInt64, term: UInt64, sentAt: ContinuousClock.Instant)] = []
  /// Whether this peer may hold a lease in the store's ``LocalReader`` (then it must end it
  /// when it stops leading).
  var holdsLease = false
  /// The last term this peer led in and noted its first entry for the lease.
  var leaseTerm: UInt64 = 0
  /// What the store's peers share (config, router, workers, snapshot files).
  let context: PeerContext
  /// Ticks since the leader last considered compacting the log.
  var ticksSinceLogGC = 0
  /// Ticks since this peer last sent a region heartbeat.
  var ticksSinceHeartbeat = 0
  /// The term this peer last sent a heartbeat as leader in (a new term's first comes at once).
  var heartbeatTerm: UInt64 = 0
  /// Ticks since the leader last considered a split check.
  var ticksSinceSplitCheck = 0
  /// Whether a split check of this region is running on the split-check queue.
  var splitCheckInFlight = false
  /// Bytes of writes proposed since the last split check.
  var bytesWrittenSinceSplitCheck: UInt64 = 0
  /// Bytes and keys of the region's data as of the last split check (nil: not measured since
  /// start or since the region last changed its range).
  var approximateSize: UInt64?
  var approximateKeys: UInt64?
  /// Set once this peer applied its own removal and destroyed itself: the raft loop then
  /// drops it (see ``destroy()``).
  var isDestroyed = false
  /// Set once this peer learned it is stale (``requestTombstone()``): it answers nothing while
  /// the apply loop writes its tombstone.
  var isPendingRemoval = false
  /// Set with ``isPendingRemoval`` until the raft loop hands the apply loop the tombstone task.
  var wantsTombstone = false
  /// The other peers this peer heard from, by id: an uninitialized peer knows no region
  /// members, yet must answer the leader (TiKV's peer cache).
  var knownPeers: [UInt64: Metapb_Peer] = [:]

  var regionID: UInt64 { storage.regionID }
  var region: Metapb_Region { storage.region }

  /// Builds the peer from stored state: this store's peer of the stored region, or `meta` for
  /// an uninitialized peer (created from a leader's message, its region not known yet).
  /// - Throws: `RaftStoreError.notBootstrapped` if this store has no peer in the region;
  ///   `RaftError` for a configuration Raft refuses.
  init(storage: PeerStorage, context: PeerContext, meta: Metapb_Peer? = nil) throws {
    let storeID = context.storeID
    guard
      let meta = meta ?? storage.region.peers.first(where: { $0.storeID == storeID })
    else {
      throw RaftStoreError(
        code: .notBootstrapped,
        message: "region \(storage.regionID) has no peer on store \(storeID)")
    }
    self.meta = meta
    self.storage = storage
    self.context = context
    let config = context.config
    var raftConfig = RaftConfig(
      id: meta.id, electionTick: config.electionTick, heartbeatTick: config.heartbeatTick,
      storage: storage, applied: storage.applyState.appliedIndex, preVote: config.preVote,
      checkQuorum: config.checkQuorum, maxSizePerMsg: config.maxSizePerMsg,
      randomSeed: meta.id &* 0x9E37_79B9_7F4A_7C15 ^ storage.regionID)
    // Writes are checked (epoch, range, session) by the peer that proposes them, so only a
    // leader proposes; a follower never forwards one to a leader that did not check it.
    raftConfig.disableProposalForwarding = true
    node = try RawNode(config: raftConfig)
    let regionID = storage.regionID
    let (raftDB, kvDB) = (storage.raftDB, storage.kvDB)
    storage.requestSnapshot = {
      context.queues.snapshotGeneration {
        let snapshot = try? SnapshotGenerator.generate(
          regionID: regionID, raftDB: raftDB, kvDB: kvDB, manager: context.snapshots)
        context.router.send(.snapshotGenerated(snapshot), to: regionID)
      }
    }
  }

  /// The leader as a `Metapb_Peer`, when known.
  var leader: Metapb_Peer? {
    let leaderID = node.leaderID
    guard leaderID != 0 else { return nil }
    return region.peers.first { $0.id == leaderID }
  }

  /// A command from this peer, its header filled in (region id, this peer, epoch, term).
  func command() -> RaftCmdpb_RaftCmdRequest {
    var command = RaftCmdpb_RaftCmdRequest()
    command.header.regionID = regionID
    command.header.peer = meta
    command.header.regionEpoch = region.regionEpoch
    command.header.term = node.term
    return command
  }

  /// `NotLeader` for this region, with the leader when known.
  func notLeader() -> RegionError {
    var error = Errorpb_Error()
    error.message = "peer \(meta.id) is not the leader of region \(regionID)"
    error.notLeader.regionID = regionID
    if let leader { error.notLeader.leader = leader }
    return RegionError(error)
  }

  /// Checks that a request for `context` touching `keys` can be served here (epoch, range),
  /// leadership aside.
  func check(_ context: Kvrpcpb_Context, keys: some Sequence<Data>) -> RegionError? {
    let region = region
    if context.hasRegionEpoch
      && (context.regionEpoch.version != region.regionEpoch.version
        || context.regionEpoch.confVer != region.regionEpoch.confVer)
    {
      return RegionError.epochNotMatch(
        region,
        splitOff: self.context.regions.splitOff(from: region, since: context.regionEpoch.version))
    }
    for key in keys where !region.contains(key) {
      return RegionError.keyNotInRegion(key, region)
    }
    return nil
  }

  /// Checks a write for `context`: epoch and range as ``check(_:keys:)``, and a range deletion's
  /// range must end within the region too.
  func check(_ context: Kvrpcpb_Context, modifications: [Modification]) -> RegionError? {
    if let error = check(context, keys: modifications.lazy.map(\.key)) { return error }
    for end in modifications.lazy.compactMap(\.rangeEnd)
    where !region.endKey.isEmpty && region.endKey.lexicographicallyPrecedes(end) {
      return RegionError.keyNotInRegion(end, region)
    }
    return nil
  }

  /// The `RaftMessage` envelope for a Raft message to peer `message.to`, or nil if that peer
  /// is neither in the region nor one this peer heard from.
  func envelope(_ message: Eraftpb_Message) -> RaftServerpb_RaftMessage? {
    guard let to = region.peers.first(where: { $0.id == message.to }) ?? knownPeers[message.to]
    else { return nil }
    var envelope = RaftServerpb_RaftMessage()
    envelope.regionID = regionID
    envelope.fromPeer = meta
    envelope.toPeer = to
    envelope.regionEpoch = region.regionEpoch
    envelope.startKey = region.startKey
    envelope.endKey = region.endKey
    envelope.message = message
    return envelope
  }
}
