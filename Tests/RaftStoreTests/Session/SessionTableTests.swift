import Foundation
import Storage
import Testing
import TinyKVProto

@testable import RaftStore

/// The session table's decisions (exactly-once raw writes): what is applied, answered again,
/// refused, and forgotten.
@Suite struct SessionTableTests {
  private func write(
    _ id: UInt64, _ sequence: UInt64, completedBelow: UInt64 = 1, resend: Bool = false
  ) -> Kvrpcpb_WriteSession {
    Kvrpcpb_WriteSession(
      id: id, sequence: sequence, completedBelow: completedBelow, resend: resend)
  }

  private func isApply(_ admission: SessionAdmission) -> Bool {
    if case .apply = admission { return true }
    return false
  }

  /// Admits and records a successful write; says whether it was to be applied.
  private func applyOnce(
    _ table: inout RaftServerpb_SessionTable, _ write: Kvrpcpb_WriteSession, at time: UInt64 = 1
  ) -> Bool {
    let admission = table.admit(write, proposedAtMs: time, regionID: 1)
    guard isApply(admission) else { return false }
    table.record(write, .success(()))
    return true
  }

  @Test("a resend of an applied write is answered from the table, not applied again")
  func resendAnswered() {
    var table = RaftServerpb_SessionTable()
    #expect(applyOnce(&table, write(7, 1)))
    #expect(applyOnce(&table, write(7, 2)))
    let admission = table.admit(write(7, 1, resend: true), proposedAtMs: 2, regionID: 1)
    guard case .answered(.success) = admission else {
      Issue.record("a resend of write 1 was \(admission)")
      return
    }
    // A write of a new number in the same session is applied.
    #expect(applyOnce(&table, write(7, 3)))
  }

  @Test("the recorded failure is what a resend is answered with")
  func failureReplayed() {
    var table = RaftServerpb_SessionTable()
    let first = write(7, 1)
    #expect(isApply(table.admit(first, proposedAtMs: 1, regionID: 1)))
    table.record(first, .failure(SessionReplayError(description: "unknown column family")))
    let admission = table.admit(write(7, 1, resend: true), proposedAtMs: 2, regionID: 1)
    guard case .answered(.failure(let error)) = admission else {
      Issue.record("a resend of a failed write was \(admission)")
      return
    }
    #expect(String(describing: error) == "unknown column family")
  }

  @Test("a resend of a session the region does not know is refused as undetermined")
  func unknownSessionResendRefused() {
    var table = RaftServerpb_SessionTable()
    let admission = table.admit(write(9, 4, resend: true), proposedAtMs: 1, regionID: 3)
    guard case .refused(let error as RegionError) = admission else {
      Issue.record("a resend of an unknown session was \(admission)")
      return
    }
    #expect(error.error.undeterminedResult.sessionUnknown)
    #expect(table.sessions.isEmpty)
    // Its first attempt starts the session instead.
    #expect(applyOnce(&table, write(9, 5)))
    #expect(table.sessions.map(\.id) == [9])
  }

  @Test("numbers the client completed are forgotten, and refused if they come again")
  func completedForgotten() {
    var table = RaftServerpb_SessionTable()
    for sequence in 1...4 { #expect(applyOnce(&table, write(7, UInt64(sequence)))) }
    #expect(table.sessions[0].applied.count == 4)
    #expect(applyOnce(&table, write(7, 5, completedBelow: 4)))
    #expect(table.sessions[0].applied.map(\.sequence) == [4, 5])
    let admission = table.admit(write(7, 2, completedBelow: 4), proposedAtMs: 2, regionID: 1)
    guard case .refused(let error) = admission else {
      Issue.record("a completed number was \(admission)")
      return
    }
    #expect(error is SessionReplayError)
  }

  @Test("a session idle for the expiry is forgotten: its resend is refused, not applied")
  func idleSessionExpires() {
    var table = RaftServerpb_SessionTable()
    #expect(applyOnce(&table, write(7, 1), at: 1_000))
    let later = 1_000 + RaftServerpb_SessionTable.idleExpiryMs + 1
    let admission = table.admit(write(7, 1, resend: true), proposedAtMs: later, regionID: 1)
    guard case .refused(let error as RegionError) = admission else {
      Issue.record("a resend after the expiry was \(admission)")
      return
    }
    #expect(error.error.undeterminedResult.sessionUnknown)
    // Just inside the expiry it is still answered.
    var fresh = RaftServerpb_SessionTable()
    #expect(applyOnce(&fresh, write(7, 1), at: 1_000))
    let inside = 1_000 + RaftServerpb_SessionTable.idleExpiryMs
    guard case .answered = fresh.admit(write(7, 1, resend: true), proposedAtMs: inside, regionID: 1)
    else {
      Issue.record("a resend within the expiry was not answered from the table")
      return
    }
  }

  @Test("the clock never goes back: an older leader clock does not revive an expired session")
  func clockIsMonotonic() {
    var table = RaftServerpb_SessionTable()
    #expect(applyOnce(&table, write(7, 1), at: 5_000))
    #expect(applyOnce(&table, write(8, 1), at: 1_000))
    #expect(table.clockMs == 5_000)
    #expect(table.sessions.map(\.lastActiveMs) == [5_000, 5_000])
  }

  @Test("a full table makes room by dropping the least recently active session")
  func capacityEvictsLeastRecent() {
    var table = RaftServerpb_SessionTable()
    let capacity = UInt64(RaftServerpb_SessionTable.capacity)
    for id in 1...capacity { #expect(applyOnce(&table, write(id, 1), at: id)) }
    // Session 1 is touched again: session 2 is now the least recently active.
    #expect(applyOnce(&table, write(1, 2), at: capacity + 1))
    #expect(applyOnce(&table, write(capacity + 1, 1), at: capacity + 2))
    #expect(table.sessions.count == RaftServerpb_SessionTable.capacity)
    #expect(!table.sessions.contains { $0.id == 2 })
    #expect(table.sessions.contains { $0.id == 1 })
    #expect(table.sessions.map(\.id) == table.sessions.map(\.id).sorted())
  }

  @Test("the table survives encoding, as in the apply state and a snapshot")
  func roundTrips() throws {
    var table = RaftServerpb_SessionTable()
    #expect(applyOnce(&table, write(7, 1)))
    var applyState = RaftServerpb_RaftApplyState()
    applyState.sessions = table
    let decoded = try RaftServerpb_RaftApplyState(serializedBytes: applyState.serializedData())
    var restored = decoded.sessions
    guard case .answered = restored.admit(write(7, 1, resend: true), proposedAtMs: 2, regionID: 1)
    else {
      Issue.record("a decoded table did not answer the resend")
      return
    }
  }
}
