import Foundation
import Storage
import TinyKVProto

@testable import RaftStore

extension SimCluster {
  /// The region store `id`'s peers hold `key` in (initialized peers only), or region 1.
  func regionID(of key: String, on id: UInt64) -> UInt64 {
    let key = Data(key.utf8)
    return stores[id]?.poller.peers.values.first { peer in
      peer.storage.isInitialized && peer.region.contains(key)
    }?.regionID ?? Cluster.regionID
  }

  /// One administrative event on a region led by store `id` (if it leads any): with
  /// ``splits``, a split at a random workload key; with ``confChanges``, removing a random
  /// peer of a region with three or more, or adding one on a store without a peer of it. Ids
  /// come from a counter, so a seed replays.
  func administer(via id: UInt64) {
    guard let store = stores[id] else { return }
    let leaders = store.poller.regionIDs.compactMap { store.poller.peers[$0] }.filter {
      $0.node.role == .leader && $0.storage.isInitialized
    }
    guard !leaders.isEmpty else { return }
    let peer = leaders[Int(random.next() % UInt64(leaders.count))]
    let region = peer.region
    let callback: WriteCallback = { _ in }
    if splits && (!confChanges || random.next() % 2 == 0) {
      let key = Data("key-\(random.next() % UInt64(max(proposed, 1)))".utf8)
      let ids = SplitIDs(
        regionID: nextID, peerIDs: region.peers.indices.map { nextID + 1 + UInt64($0) })
      nextID += 1 + UInt64(region.peers.count)
      store.router.send(
        .split(SplitCommand(key: key, epoch: region.regionEpoch, ids: ids, callback: callback)),
        to: region.id)
      trace.append("split \(region.id) at \(String(decoding: key, as: UTF8.self)) via \(id)")
    } else if confChanges {
      let change: Eraftpb_ConfChangeType
      var target = Metapb_Peer()
      let absent = storeIDs.filter { storeID in !region.peers.contains { $0.storeID == storeID } }
      if region.peers.count >= 3 || absent.isEmpty {
        change = .removeNode
        target = region.peers[Int(random.next() % UInt64(region.peers.count))]
      } else {
        change = .addNode
        target.id = nextID
        target.storeID = absent[Int(random.next() % UInt64(absent.count))]
        nextID += 1
      }
      store.router.send(
        .changePeer(
          ChangePeerCommand(
            change: change, peer: target, epoch: region.regionEpoch, callback: callback)),
        to: region.id)
      trace.append("\(change) \(target.id)@\(target.storeID) in \(region.id) via \(id)")
    }
  }

  /// The newest region holding `key` among every store's peers (the highest version; among
  /// equal versions the highest conf_ver), or nil if no store has one.
  func newestRegion(holding key: String) -> Metapb_Region? {
    let key = Data(key.utf8)
    let regions = stores.values.flatMap { store in
      store.poller.peers.values.filter { $0.storage.isInitialized }.map(\.region)
    }.filter { $0.contains(key) }
    return regions.max { a, b in
      (a.regionEpoch.version, a.regionEpoch.confVer) < (
        b.regionEpoch.version, b.regionEpoch.confVer
      )
    }
  }

  /// Whether every store in the newest membership of `key`'s region has applied that region
  /// and holds `value` for `key` (nil: any value, as long as they all agree).
  func replicasAgree(on key: String, value: String?) throws -> Bool {
    guard let region = newestRegion(holding: key) else { return false }
    var seen: Set<String?> = []
    for member in region.peers {
      guard let store = stores[member.storeID],
        store.poller.peers[region.id]?.region.regionEpoch == region.regionEpoch
      else { return false }
      let local = try self.local(member.storeID, key)
      if let value, local != value { return false }
      seen.insert(local)
    }
    return seen.count == 1 && seen.first! != nil
  }

  /// Every store's peers, one line each: region, range, epoch, peers, role, term, leader,
  /// applied index (for failure reports).
  func describePeers() -> String {
    storeIDs.compactMap { id -> String? in
      guard let store = stores[id] else { return "store \(id): down" }
      return store.poller.regionIDs.compactMap { store.poller.peers[$0] }.map { peer in
        let region = peer.region
        let range =
          "[\(String(decoding: region.startKey, as: UTF8.self)), "
          + "\(String(decoding: region.endKey, as: UTF8.self)))"
        let applied = store.applier.applyStates[region.id]?.appliedIndex ?? 0
        return "store \(id) region \(region.id) \(range) v\(region.regionEpoch.version)"
          + "/c\(region.regionEpoch.confVer) peers \(region.peers.map(\.id)) peer \(peer.meta.id) "
          + "\(peer.node.role) term \(peer.node.term) leader \(peer.node.leaderID) "
          + "last \(peer.storage.lastIndex()) applied \(applied)"
      }.joined(separator: "\n")
    }.joined(separator: "\n")
  }
}
