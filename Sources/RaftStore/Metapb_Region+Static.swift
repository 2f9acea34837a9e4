import TinyKVProto

extension Metapb_Region {
  /// A region over the whole key space at epoch (1, 1) with one peer on each of `storeIDs`,
  /// whose id is its store's id: the fixed membership that test clusters and benchmarks
  /// bootstrap every store with (a real cluster starts with one peer and grows).
  public static func spanning(stores storeIDs: [UInt64], id: UInt64 = 1) -> Metapb_Region {
    var region = Metapb_Region()
    region.id = id
    region.regionEpoch.confVer = 1
    region.regionEpoch.version = 1
    region.peers = storeIDs.map { storeID in
      var peer = Metapb_Peer()
      peer.id = storeID
      peer.storeID = storeID
      return peer
    }
    return region
  }
}
