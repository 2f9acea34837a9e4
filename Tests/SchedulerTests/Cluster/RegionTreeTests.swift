import Foundation
import Testing
import Randomness

@testable import Scheduler

@Suite("Region tree")
struct RegionTreeTests {
  @Test("lookups by key follow [start, end) with an empty end meaning +infinity")
  func lookupByKey() {
    var tree = RegionTree()
    tree.insert(region(1, "", "b", peers: [(1, 1)]))
    tree.insert(region(2, "b", "d", peers: [(2, 1)]))
    tree.insert(region(3, "d", "", peers: [(3, 1)]))
    #expect(tree.region(containing: Data())?.id == 1)
    #expect(tree.region(containing: Data("a".utf8))?.id == 1)
    #expect(tree.region(containing: Data("b".utf8))?.id == 2)
    #expect(tree.region(containing: Data("c\u{ff}".utf8))?.id == 2)
    #expect(tree.region(containing: Data("zzzz".utf8))?.id == 3)
    #expect(tree.region(before: Data("c".utf8))?.id == 1)
    #expect(tree.region(before: Data("a".utf8)) == nil)
    #expect(tree.region(id: 2)?.startKey == Data("b".utf8))
  }

  @Test("a key in a gap between regions finds none")
  func gap() {
    var tree = RegionTree()
    tree.insert(region(1, "a", "b", peers: [(1, 1)]))
    tree.insert(region(2, "c", "d", peers: [(2, 1)]))
    #expect(tree.region(containing: Data("0".utf8)) == nil)
    #expect(tree.region(containing: Data("bb".utf8)) == nil)
    #expect(tree.region(containing: Data("d".utf8)) == nil)
  }

  @Test("inserting a region removes every region it overlaps")
  func overlapsRemoved() {
    var tree = RegionTree()
    tree.insert(region(1, "a", "c", peers: [(1, 1)]))
    tree.insert(region(2, "c", "e", peers: [(2, 1)]))
    tree.insert(region(3, "e", "g", peers: [(3, 1)]))
    let removed = tree.insert(region(4, "b", "f", peers: [(4, 1)]))
    #expect(Set(removed.map(\.id)) == [1, 2, 3])
    #expect(tree.count == 1)
    #expect(tree.region(containing: Data("a".utf8)) == nil)
    #expect(tree.region(containing: Data("e".utf8))?.id == 4)
  }

  @Test("a region whose range changes moves in the tree")
  func rangeChange() {
    var tree = RegionTree()
    tree.insert(region(1, "", "", peers: [(1, 1)]))
    tree.insert(region(1, "", "m", version: 2, peers: [(1, 1)]))
    tree.insert(region(2, "m", "", version: 2, peers: [(2, 1)]))
    #expect(tree.count == 2)
    #expect(tree.region(containing: Data("a".utf8))?.id == 1)
    #expect(tree.region(containing: Data("n".utf8))?.id == 2)
    #expect(tree.all.map(\.id) == [1, 2])
  }

  @Test("scan starts at the region holding the start key and honours end and limit")
  func scan() {
    var tree = RegionTree()
    for (index, bounds) in [("", "b"), ("b", "d"), ("d", "f"), ("f", "")].enumerated() {
      tree.insert(region(UInt64(index + 1), bounds.0, bounds.1, peers: [(UInt64(index + 1), 1)]))
    }
    #expect(tree.scan(startKey: Data("c".utf8), endKey: Data(), limit: 0).map(\.id) == [2, 3, 4])
    #expect(
      tree.scan(startKey: Data("c".utf8), endKey: Data("e".utf8), limit: 0).map(\.id) == [2, 3])
    #expect(tree.scan(startKey: Data("c".utf8), endKey: Data("d".utf8), limit: 0).map(\.id) == [2])
    #expect(tree.scan(startKey: Data(), endKey: Data(), limit: 2).map(\.id) == [1, 2])
    #expect(tree.scan(startKey: Data("b".utf8), endKey: Data(), limit: 1).map(\.id) == [2])
  }

  @Test(
    "random inserts keep the tree sorted and non-overlapping", arguments: [1, 2, 3] as [UInt64])
  func randomInsertsKeepInvariant(seed: UInt64) {
    var random = SplitMix64(seed: seed)
    var tree = RegionTree()
    for id in 1...300 as ClosedRange<UInt64> {
      let a = UInt8(random.next() % 200)
      let b = a + 1 + UInt8(random.next() % 50)
      var meta = region(id, "", "", peers: [(id, 1)])
      meta.meta.startKey = Data([a])
      meta.meta.endKey = Data([b])
      tree.insert(meta)
      let all = tree.all
      for (left, right) in zip(all, all.dropFirst()) {
        #expect(!right.startKey.lexicographicallyPrecedes(left.endKey), "seed \(seed)")
      }
    }
  }
}
