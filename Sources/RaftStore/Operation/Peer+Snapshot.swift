import Engine
import Foundation
import Raft
import Storage
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

  /// Starts installing the snapshot of a `Ready` (see `PeerStorage.applySnapshot`) and answers
  /// the proposals it overtakes (``overtaken(_:by:)``).
  func installSnapshot(_ snapshot: Eraftpb_Snapshot, into batch: WriteBatch) throws {
    try storage.applySnapshot(snapshot, to: batch)
    // `applySnapshot` made the snapshot's region this peer's.
    let version = region.regionEpoch.version
    let index = snapshot.metadata.index
    for proposal in proposals where proposal.index <= index {
      proposal.callback(
        Self.overtaken(proposal, by: snapshot.metadata, regionVersion: version))
    }
    proposals.removeAll { $0.index <= index }
  }

  /// The answer to `proposal`, whose entry a snapshot up to `metadata.index` replaced. Only the
  /// leader of a term appends entries of that term, and it never overwrites its own, so:
  /// - the snapshot's term equal to the proposal's: the committed history at the snapshot's
  ///   index was written by the leader that took the proposal, so it holds the proposal's entry:
  ///   applied. A write without a session proposed at the snapshot region's epoch version
  ///   (`regionVersion`) could not fail then: success. Anything else applied with an outcome
  ///   unknown here: `UndeterminedResult` (a session write's resend reads it from the session
  ///   table);
  /// - the proposal's term higher: the committed history up to the index is of older terms
  ///   only, so the entry is not in it and never will be: `StaleCommand` (safe to resend);
  /// - the proposal's term lower: another leader may or may not have kept the entry:
  ///   `UndeterminedResult`.
  static func overtaken(
    _ proposal: Proposal, by metadata: Eraftpb_SnapshotMetadata, regionVersion: UInt64
  ) -> Result<Void, any Error> {
    if proposal.term > metadata.term { return .failure(Applier.staleCommand()) }
    if proposal.term == metadata.term, let version = proposal.plainWriteVersion,
      version == regionVersion
    {
      return .success(())
    }
    return .failure(
      RegionError.undetermined(
        "a snapshot up to index \(metadata.index) (term \(metadata.term)) replaced the entry at"
          + " \(proposal.index) (term \(proposal.term))"))
  }
}
