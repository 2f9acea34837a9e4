import Engine
import Foundation
import Storage
import TestSupport
import TinyKVProto

@testable import RaftStore

extension Cluster {
  /// Store `storeID`'s durable `RegionLocalState` of the region (read from its kv engine).
  func regionState(_ storeID: UInt64) throws -> RaftServerpb_RegionLocalState? {
    guard let store = stores[storeID],
      let bytes = try store.kvDB.get(.meta, Keys.regionStateKey(Self.regionID))
    else { return nil }
    return try RaftServerpb_RegionLocalState(serializedBytes: bytes)
  }

  /// Whether store `storeID`'s raft engine still holds the region's raft state.
  func hasRaftState(_ storeID: UInt64) throws -> Bool {
    guard let store = stores[storeID] else { return false }
    return try store.raftDB.get(.default, Keys.raftStateKey(Self.regionID)) != nil
  }

  /// The peer of the region on store `storeID` (its id is the store's).
  static func peer(_ storeID: UInt64) -> Metapb_Peer {
    var peer = Metapb_Peer()
    peer.id = storeID
    peer.storeID = storeID
    return peer
  }

  /// Asks store `storeID` to make a membership change and waits for its outcome.
  func changePeer(
    via storeID: UInt64, _ change: Eraftpb_ConfChangeType, _ peer: Metapb_Peer,
    epoch: Metapb_RegionEpoch
  ) async throws {
    guard let store = stores[storeID] else { throw TestFailure("store \(storeID) is down") }
    try await waitForCallback(
      timeout: .seconds(5), deadlines: store.deadlines, what: "change peer"
    ) {
      (callback: @escaping @Sendable (Result<Void, any Error>) -> Void) in
      store.changePeer(
        regionID: Self.regionID, change: change, peer: peer, epoch: epoch, callback: callback)
    }
  }

  /// Waits until every store of `storeIDs` applied a membership of peer ids `peers` at
  /// `confVer`.
  func expectMembership(on storeIDs: [UInt64], peers: [UInt64], confVer: UInt64) async throws {
    for id in storeIDs {
      try await eventually("store \(id) has peers \(peers) at conf_ver \(confVer)") {
        guard let state = try self.regionState(id) else { return false }
        return state.state == .normal && state.region.regionEpoch.confVer == confVer
          && state.region.peers.map(\.id).sorted() == peers.sorted()
      }
    }
  }

  /// Every region store `storeID` holds a peer of (tombstones aside), from its kv engine.
  func regions(on storeID: UInt64) throws -> [Metapb_Region] {
    guard let store = stores[storeID] else { return [] }
    return try RaftStore.regionIDs(kvDB: store.kvDB).compactMap { id in
      guard let bytes = try store.kvDB.get(.meta, Keys.regionStateKey(id)) else { return nil }
      return try RaftServerpb_RegionLocalState(serializedBytes: bytes).region
    }.sorted { $0.startKey.lexicographicallyPrecedes($1.startKey) }
  }

  /// The region holding `key` on store `storeID`, as that store last applied it.
  func region(containing key: Data, on storeID: UInt64) throws -> Metapb_Region? {
    try regions(on: storeID).first { $0.contains(key) }
  }
}
