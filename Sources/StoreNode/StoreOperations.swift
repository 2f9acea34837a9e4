import Logging
import RaftStore
import TinyKVProto

/// Carries out the scheduler's operator steps on a raft store: leader transfers, and peer
/// additions and removals (each proposed by the region's leader on this store, checked against
/// the epoch the scheduler decided at). A step this store cannot take now (not the leader any
/// more, a stale epoch, another change pending) is dropped: the scheduler asks again after the
/// region's next heartbeat.
public struct StoreOperations: OperatorExecutor {
  /// The store whose leaders carry out the steps.
  public let store: RaftStore
  /// Where refused membership changes are logged (at debug level: they are routine).
  public let logger: Logger

  /// An executor over `store`.
  public init(store: RaftStore, logger: Logger) {
    self.store = store
    self.logger = logger
  }

  public func execute(
    _ step: RegionOperation, regionID: UInt64, epoch: Metapb_RegionEpoch, leader: Metapb_Peer
  ) {
    switch step {
    case .transferLeader(let peer):
      store.transferLeader(regionID: regionID, to: peer, epoch: epoch)
    case .changePeer(let change, let peer):
      let logger = logger
      store.changePeer(regionID: regionID, change: change, peer: peer, epoch: epoch) { result in
        if case .failure(let error) = result {
          logger.debug(
            "membership change not carried out",
            metadata: [
              "region": "\(regionID)", "change": "\(change)", "peer": "\(peer.id)",
              "error": "\(error)",
            ])
        }
      }
    }
  }
}
