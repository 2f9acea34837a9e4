import Engine
import Foundation
import Raft
import TinyKVProto

extension Peer {
  /// The snapshot worker's result: Raft gets it at its next `snapshot()` call (nil: the next
  /// call asks for a new one).
  func snapshotGenerated(_ snapshot: Eraftpb_Snapshot?) {
    guard case .generating = storage.generation else { return }
    guard let snapshot,
      let data = try? RaftServerpb_RaftSnapshotData(serializedBytes: snapshot.data)
    else {
      storage.generation = .idle
      return
    }
    storage.generation = .generated(snapshot, epoch: data.region.regionEpoch)
  }

  /// Tells Raft what the transport could not deliver. After a failed snapshot the next one is
  /// generated afresh (the files may be what failed).
  func handle(_ report: DeliveryReport) {
    switch report {
    case .unreachable(_, let toPeerID):
      node.reportUnreachable(toPeerID)
    case .snapshot(_, let toPeerID, let succeeded):
      node.reportSnapshot(toPeerID, succeeded: succeeded)
      if !succeeded, case .generated = storage.generation { storage.generation = .idle }
    }
  }

  /// Starts installing the snapshot of a `Ready` (see `PeerStorage.applySnapshot`) and fails
  /// the proposals it overtakes with `StaleCommand`: their entries were replaced by the
  /// snapshot's history, and whether they are in it is unknown.
  func installSnapshot(_ snapshot: Eraftpb_Snapshot, into batch: WriteBatch) throws {
    try storage.applySnapshot(snapshot, to: batch)
    let index = snapshot.metadata.index
    for proposal in proposals where proposal.index <= index {
      proposal.callback(.failure(Applier.staleCommand()))
    }
    proposals.removeAll { $0.index <= index }
  }
}
