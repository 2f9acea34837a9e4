import TiKVProto
import TinyKVProto

extension TiKVKvrpcpb_Context {
  /// The part of the context the store routes on (region, epoch, peer, term), as TinyKV's
  /// context. Everything else (priorities, isolation level, resource groups, ...) is a hint this
  /// store does not use; the API version is checked by the caller.
  package var tinyKV: Kvrpcpb_Context {
    var context = Kvrpcpb_Context()
    context.regionID = regionID
    if hasRegionEpoch {
      context.regionEpoch.confVer = regionEpoch.confVer
      context.regionEpoch.version = regionEpoch.version
    }
    if hasPeer {
      context.peer.id = peer.id
      context.peer.storeID = peer.storeID
    }
    context.term = term
    return context
  }
}
