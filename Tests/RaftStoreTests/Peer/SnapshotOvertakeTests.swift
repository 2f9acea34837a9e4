import Storage
import Testing
import TinyKVProto

@testable import RaftStore

/// How a proposal is answered when a snapshot replaces its entry (`Peer.overtaken`): applied,
/// never applied, or unknown, by comparing terms.
@Suite struct SnapshotOvertakeTests {
  private func proposal(term: UInt64, plainWriteVersion: UInt64?) -> Proposal {
    Proposal(index: 5, term: term, callback: { _ in }, plainWriteVersion: plainWriteVersion)
  }

  private func metadata(term: UInt64) -> Eraftpb_SnapshotMetadata {
    var metadata = Eraftpb_SnapshotMetadata()
    metadata.index = 9
    metadata.term = term
    return metadata
  }

  private func regionError(_ result: Result<Void, any Error>) -> Errorpb_Error? {
    if case .failure(let error as RegionError) = result { return error.error }
    return nil
  }

  @Test("the snapshot's term equal to the proposal's: the entry was applied")
  func sameTermApplied() {
    let result = Peer.overtaken(
      proposal(term: 3, plainWriteVersion: 2), by: metadata(term: 3), regionVersion: 2)
    #expect((try? result.get()) != nil, "answered \(result)")
  }

  @Test("applied, but at another epoch or with a session: the outcome is for the region to tell")
  func sameTermOutcomeUnknown() {
    let split = Peer.overtaken(
      proposal(term: 3, plainWriteVersion: 2), by: metadata(term: 3), regionVersion: 3)
    #expect(regionError(split)?.hasUndeterminedResult == true)
    let session = Peer.overtaken(
      proposal(term: 3, plainWriteVersion: nil), by: metadata(term: 3), regionVersion: 2)
    #expect(regionError(session)?.hasUndeterminedResult == true)
  }

  @Test("the proposal's term higher: its entry can never be committed")
  func higherTermStale() {
    let result = Peer.overtaken(
      proposal(term: 4, plainWriteVersion: 2), by: metadata(term: 3), regionVersion: 2)
    #expect(regionError(result)?.hasStaleCommand == true)
  }

  @Test("the proposal's term lower: another leader may have kept it")
  func lowerTermUnknown() {
    let result = Peer.overtaken(
      proposal(term: 2, plainWriteVersion: 2), by: metadata(term: 3), regionVersion: 2)
    #expect(regionError(result)?.hasUndeterminedResult == true)
  }
}
