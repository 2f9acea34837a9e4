import Coprocessor
import Foundation
import RaftStore
import TestSupport
import Testing
import TiKVGRPC
import TiKVProto
import TinyKVProto
import TipbProto
import Transaction

/// `tikvpb.Tikv/Coprocessor` against a replicated store: a count pushed down to the leader, the
/// follower's refusal, a lock in TiKV's form, and the partial counts of both halves of a split
/// adding up to the whole, with the old epoch refused.
@Suite("TiKV Coprocessor on a replicated store", .serialized)
struct CoprocessorRPCTests {
  private static let tableID: Int64 = 9

  /// `SELECT count(*) FROM t9` as a DAG request: a table scan of the handle, a count.
  private func countRequest(
    _ context: TiKVKvrpcpb_Context, at startTS: UInt64
  ) throws -> TiKVCoprocessor_Request {
    var request = TiKVCoprocessor_Request()
    request.context = context
    request.tp = 103
    request.data = try TestSupport.countRequest(table: Self.tableID).serializedData()
    request.startTs = startTS
    var range = TiKVCoprocessor_KeyRange()
    range.start = Data(TableKeys.recordPrefix(table: Self.tableID))
    range.end = Data(TableKeys.recordPrefix(table: Self.tableID + 1))
    request.ranges = [range]
    return request
  }

  /// The count a response carries; nil for an answer without rows.
  private func count(_ response: TiKVCoprocessor_Response) throws -> Int64? {
    try TestSupport.count(in: response.data)
  }

  /// Prewrites rows `handles` of the table at `start` and commits them at `commit` (no commit:
  /// left locked).
  private func write(
    _ cluster: ReplicatedTikv, _ storeID: UInt64, _ handles: ClosedRange<Int64>,
    at start: UInt64, commit: UInt64?
  ) async throws {
    var prewrite = TiKVKvrpcpb_PrewriteRequest()
    prewrite.context = cluster.context(storeID)
    prewrite.mutations = try handles.map { handle in
      var mutation = TiKVKvrpcpb_Mutation()
      mutation.key = Data(TableKeys.record(table: Self.tableID, handle: handle))
      mutation.value = Data(try EncodedRow.encode([(2, .int(handle * 10))]))
      return mutation
    }
    prewrite.primaryLock = prewrite.mutations[0].key
    prewrite.startVersion = start
    prewrite.lockTtl = 3000
    let prewritten = try await cluster.withClient(storeID) { try await $0.kvPrewrite(prewrite) }
    #expect(prewritten.errors.isEmpty && !prewritten.hasRegionError, "\(prewritten)")
    guard let commit else { return }
    var request = TiKVKvrpcpb_CommitRequest()
    request.context = cluster.context(storeID)
    request.keys = prewrite.mutations.map(\.key)
    request.startVersion = start
    request.commitVersion = commit
    let committed = try await cluster.withClient(storeID) { try await $0.kvCommit(request) }
    #expect(!committed.hasError && !committed.hasRegionError, "\(committed)")
  }

  @Test(
    "the leader counts the rows; a follower answers not_leader; a lock comes back in TiKV's form")
  func leaderFollowerAndLock() async throws {
    try await ReplicatedTikv.run { cluster in
      let leader = try await cluster.leader()
      try await write(cluster, leader, 1...20, at: 10, commit: 20)
      let counted = try await cluster.withClient(leader) {
        try await $0.coprocessor(try countRequest(cluster.context(leader), at: 30))
      }
      #expect(counted.otherError.isEmpty && !counted.hasRegionError && !counted.hasLocked)
      #expect(try count(counted) == 20)

      let follower = cluster.storeIDs.first { $0 != leader }!
      let refused = try await cluster.withClient(follower) {
        try await $0.coprocessor(try countRequest(cluster.context(follower), at: 30))
      }
      #expect(refused.regionError.notLeader.leader.storeID == leader)
      #expect(refused.data.isEmpty)

      try await write(cluster, leader, 21...21, at: 40, commit: nil)
      let locked = try await cluster.withClient(leader) {
        try await $0.coprocessor(try countRequest(cluster.context(leader), at: 50))
      }
      #expect(locked.locked.lockVersion == 40)
      #expect(locked.locked.key == Data(TableKeys.record(table: Self.tableID, handle: 21)))
      #expect(locked.locked.lockType == .put)
    }
  }

  @Test("after a split each half counts its rows, the old epoch answers epoch_not_match")
  func split() async throws {
    try await ReplicatedTikv.run { cluster in
      let leader = try await cluster.leader()
      try await write(cluster, leader, 1...20, at: 10, commit: 20)
      var initial = Metapb_RegionEpoch()
      initial.confVer = 1
      initial.version = 1
      let splitKey = Memcomparable.encode(Data(TableKeys.record(table: Self.tableID, handle: 12)))
      cluster.stores[leader]!.split(regionID: ReplicatedTikv.regionID, at: splitKey, epoch: initial)

      var oldEpoch = TiKVMetapb_RegionEpoch()
      oldEpoch.confVer = 1
      oldEpoch.version = 1
      var regions: [TiKVMetapb_Region] = []
      try await eventually("the split is applied on the leader") {
        let stale = try await cluster.withClient(leader) {
          try await $0.coprocessor(
            try countRequest(cluster.context(leader, epoch: oldEpoch), at: 30))
        }
        regions = stale.regionError.epochNotMatch.currentRegions
        return regions.count == 2
      }
      var total: Int64 = 0
      for region in regions {
        var counted: Int64?
        try await eventually("region \(region.id) answers its count") {
          for peer in region.peers {
            let response = try await cluster.withClient(peer.storeID) {
              try await $0.coprocessor(
                try countRequest(
                  cluster.context(
                    peer.storeID, region: region.id, peer: peer.id, epoch: region.regionEpoch),
                  at: 30))
            }
            if !response.hasRegionError {
              counted = try count(response)
              return true
            }
          }
          return false
        }
        let expected: Int64 = region.id == ReplicatedTikv.regionID ? 11 : 9
        #expect(counted == expected, "region \(region.id)")
        total += counted ?? 0
      }
      #expect(total == 20)
    }
  }
}
