import Foundation
import RaftStore
import TestSupport
import Testing
import TiKVProto
import TinyKVProto
import Transaction

/// Region errors as TiKV's clients get them from a replicated store.
@Suite("TiKV region errors from a replicated store", .serialized)
struct RegionErrorRPCTests {
  @Test("a follower answers not_leader naming the leader")
  func notLeader() async throws {
    try await ReplicatedTikv.run { cluster in
      let leader = try await cluster.leader()
      let follower = cluster.storeIDs.first { $0 != leader }!
      try await eventually("the follower names the leader") {
        let error = try await cluster.rawGetError(follower, cluster.context(follower))
        return error?.notLeader.leader.storeID == leader
          && error?.notLeader.regionID == ReplicatedTikv.regionID
      }
    }
  }

  @Test("a region this store has no peer of answers region_not_found")
  func regionNotFound() async throws {
    try await ReplicatedTikv.run { cluster in
      let error = try await cluster.rawGetError(1, cluster.context(1, region: 99, peer: 99))
      #expect(error?.regionNotFound.regionID == 99)
    }
  }

  @Test("after a split: epoch_not_match with both regions, key_not_in_region for txn keys")
  func split() async throws {
    try await ReplicatedTikv.run { cluster in
      let leader = try await cluster.leader()
      let splitKey = Memcomparable.encode(Data("m".utf8))
      var initial = Metapb_RegionEpoch()
      initial.confVer = 1
      initial.version = 1
      cluster.stores[leader]!.split(
        regionID: ReplicatedTikv.regionID, at: splitKey, epoch: initial)
      var oldEpoch = TiKVMetapb_RegionEpoch()
      oldEpoch.confVer = 1
      oldEpoch.version = 1
      var current: [TiKVMetapb_Region] = []
      try await eventually("the split is applied on the leader") {
        let error = try await cluster.rawGetError(
          leader, cluster.context(leader, epoch: oldEpoch))
        current = error?.epochNotMatch.currentRegions ?? []
        return !current.isEmpty
      }
      let left = try #require(current.first { $0.id == ReplicatedTikv.regionID })
      #expect(left.endKey == splitKey && left.regionEpoch.version == 2)
      #expect(left.peers.map(\.storeID).sorted() == [1, 2, 3])
      let right = current.first { $0.id != ReplicatedTikv.regionID }
      #expect(right?.startKey == splitKey && right?.endKey.isEmpty == true)

      let context = cluster.context(leader, epoch: left.regionEpoch)
      var outside = TiKVKvrpcpb_PrewriteRequest()
      outside.context = context
      var mutation = TiKVKvrpcpb_Mutation()
      mutation.key = Data("z".utf8)
      mutation.value = Data("v".utf8)
      outside.mutations = [mutation]
      outside.primaryLock = mutation.key
      outside.startVersion = 10
      outside.lockTtl = 3000
      let refused = try await cluster.withClient(leader) { try await $0.kvPrewrite(outside) }
      #expect(refused.regionError.keyNotInRegion.regionID == ReplicatedTikv.regionID)
      #expect(refused.regionError.keyNotInRegion.endKey == splitKey)

      var inside = outside
      inside.mutations[0].key = Data("a".utf8)
      inside.primaryLock = inside.mutations[0].key
      let accepted = try await cluster.withClient(leader) { try await $0.kvPrewrite(inside) }
      #expect(!accepted.hasRegionError && accepted.errors.isEmpty)

      var deleteRange = TiKVKvrpcpb_RawDeleteRangeRequest()
      deleteRange.context = context
      deleteRange.startKey = Data("a".utf8)
      deleteRange.endKey = Data("z".utf8)
      let beyond = try await cluster.withClient(leader) { try await $0.rawDeleteRange(deleteRange) }
      #expect(
        beyond.regionError.keyNotInRegion.key == Data("z".utf8), "a range must end in the region")
    }
  }

  @Test("RawDeleteRange through Raft deletes the range on every replica, within the region")
  func deleteRange() async throws {
    try await ReplicatedTikv.run { cluster in
      let leader = try await cluster.leader()
      var put = TiKVKvrpcpb_RawBatchPutRequest()
      put.context = cluster.context(leader)
      put.pairs = ["a", "b", "c", "d"].map { key in
        var pair = TiKVKvrpcpb_KvPair()
        pair.key = Data(key.utf8)
        pair.value = Data(key.utf8)
        return pair
      }
      #expect(try await cluster.withClient(leader) { try await $0.rawBatchPut(put) }.error == "")
      var delete = TiKVKvrpcpb_RawDeleteRangeRequest()
      delete.context = cluster.context(leader)
      delete.startKey = Data("b".utf8)
      delete.endKey = Data("d".utf8)
      #expect(
        try await cluster.withClient(leader) { try await $0.rawDeleteRange(delete) }.error == "")
      for id in cluster.storeIDs {
        try await eventually("store \(id) applied the range deletion") {
          let kv = cluster.stores[id]!.kvDB
          return try kv.get(.default, Data("b".utf8)) == nil
            && kv.get(.default, Data("c".utf8)) == nil
            && kv.get(.default, Data("a".utf8)) != nil && kv.get(.default, Data("d".utf8)) != nil
        }
      }
    }
  }
}
