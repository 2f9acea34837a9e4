import Engine
import Foundation
import TestSupport
import Testing
import TinyKVProto

@testable import RaftStore

/// Sessions under keys of their own: an apply batch writes only the sessions it changed, and a
/// restarted store (also one written when sessions lived inside the apply state) still answers
/// a resend from what it recorded.
@Suite struct SessionKeysTests {
  private func session(_ id: UInt64, completedBelow: UInt64) -> RaftServerpb_ClientSession {
    var session = RaftServerpb_ClientSession()
    session.id = id
    session.completedBelow = completedBelow
    return session
  }

  @Test("a batch writes the changed and new sessions, deletes the gone, leaves the rest")
  func persistWritesTheDifference() throws {
    let directory = try TemporaryDirectory("session-keys")
    let db = try Database(path: directory.appending("kv"), options: .small())
    defer { db.close() }
    let old = [session(1, completedBelow: 1), session(2, completedBelow: 1), session(3, completedBelow: 1)]
    let setup = try db.makeWriteBatch()
    try SessionKeys.replace(9, with: old, in: setup)
    try db.write(setup, sync: false)
    let new = [session(2, completedBelow: 5), session(3, completedBelow: 1), session(4, completedBelow: 1)]
    let batch = try db.makeWriteBatch()
    try SessionKeys.persist(9, from: old, to: new, in: batch)
    #expect(batch.count == 3, "1 deleted, 2 changed, 4 new; 3 unchanged is not written")
    try db.write(batch, sync: false)
    let loaded = try SessionKeys.load(9) { try db.iterator($0, bounds: $1) }
    #expect(loaded == new)
    #expect(try SessionKeys.load(8) { try db.iterator($0, bounds: $1) }.isEmpty)
  }

  /// Elects a leader, writes `value` in `session` through it and settles.
  private func write(
    _ cluster: SimCluster, _ value: String, _ session: Kvrpcpb_WriteSession
  ) throws -> Result<Void, any Error>? {
    var leader = cluster.leader()
    for _ in 0..<300 where leader == nil {
      cluster.tickAll()
      try cluster.settle()
      leader = cluster.leader()
    }
    guard let leader else { throw TestFailure("no leader\n\(cluster.describePeers())") }
    let number = cluster.propose("k", value, session: session, via: leader)
    try cluster.settle()
    return cluster.outcomes.state.withLock { $0[number] }
  }

  private func isSuccess(_ result: Result<Void, any Error>?) -> Bool {
    if case .success = result { return true }
    return false
  }

  /// Writes A in session 42, restarts every store (after `meddle` with their engines), writes
  /// B in another session, resends A: the resend must be answered, not applied over B.
  private func resendAfterRestart(
    seed: UInt64, meddle: (Database) throws -> Void = { _ in }
  ) throws -> [String?] {
    let cluster = try SimCluster(count: 3, seed: seed)
    let first = Kvrpcpb_WriteSession(id: 42, sequence: 1, completedBelow: 1, resend: false)
    #expect(isSuccess(try write(cluster, "A", first)))
    for id in cluster.storeIDs { cluster.crash(id) }
    for id in cluster.storeIDs {
      let (raftDB, kvDB) = try cluster.openEngines(id)
      try meddle(kvDB)
      raftDB.close()
      kvDB.close()
    }
    try cluster.heal()
    let other = Kvrpcpb_WriteSession(id: 43, sequence: 1, completedBelow: 1, resend: false)
    #expect(isSuccess(try write(cluster, "B", other)))
    var resend = first
    resend.resend = true
    #expect(isSuccess(try write(cluster, "A", resend)), "answered from the table")
    return try cluster.storeIDs.map { try cluster.local($0, "k") }
  }

  @Test("a restarted store answers a resend from the sessions it stored")
  func sessionsSurviveARestart() throws {
    #expect(try resendAfterRestart(seed: 5) == ["B", "B", "B"])
  }

  @Test("sessions kept inside the apply state (stores written before keys) move to keys")
  func inlineSessionsAreMigrated() throws {
    let values = try resendAfterRestart(seed: 6) { kvDB in
      // Put the store back as an older version left it: the sessions inside the apply state,
      // none under keys.
      let regionID = Cluster.regionID
      var state = try RaftServerpb_RaftApplyState(
        serializedBytes: try #require(try kvDB.get(.meta, Keys.applyStateKey(regionID))))
      state.sessions.sessions = try SessionKeys.load(regionID) { try kvDB.iterator($0, bounds: $1) }
      #expect(!state.sessions.sessions.isEmpty)
      let batch = try kvDB.makeWriteBatch()
      try SessionKeys.remove(regionID, in: batch)
      try batch.put(.meta, Keys.applyStateKey(regionID), state.serializedData())
      try kvDB.write(batch, sync: true)
    }
    #expect(values == ["B", "B", "B"])
  }
}
