import Foundation
import Synchronization
import Testing

@testable import Transaction

@Suite struct LatchesTests {
  /// Counts the holders inside a critical section and remembers the most seen at once.
  final class Occupancy: Sendable {
    private let state = Mutex((inside: 0, most: 0))
    func enter() {
      state.withLock {
        $0.inside += 1
        $0.most = max($0.most, $0.inside)
      }
    }
    func leave() { state.withLock { $0.inside -= 1 } }
    var most: Int { state.withLock { $0.most } }
  }

  @Test func latchesAreTakenInByteOrderWithoutDuplicates() {
    #expect(
      Latches.ordered([bytes(3), bytes(1, 0), bytes(1), bytes(3)]) == [
        bytes(1), bytes(1, 0), bytes(3),
      ])
  }

  @Test func holdersOfACommonKeyNeverOverlap() async {
    let latches = Latches()
    let occupancy = Occupancy()
    await withTaskGroup(of: Void.self) { group in
      for task in 0..<16 {
        group.addTask {
          for round in 0..<20 {
            // Every command shares key "k" and has a key of its own, listed in varying orders.
            let own = Data("own-\(task)-\(round)".utf8)
            let keys = task.isMultiple(of: 2) ? [Data("k".utf8), own] : [own, Data("k".utf8)]
            await latches.withLatches(keys) {
              occupancy.enter()
              await Task.yield()
              occupancy.leave()
            }
          }
        }
      }
    }
    #expect(occupancy.most == 1)
    #expect(latches.heldCount == 0)
  }

  @Test func overlappingKeySetsInOppositeOrdersDoNotDeadlock() async {
    let latches = Latches()
    let keys = (0..<4).map { Data("key-\($0)".utf8) }
    await withTaskGroup(of: Void.self) { group in
      for task in 0..<8 {
        group.addTask {
          for _ in 0..<50 {
            let mine = task.isMultiple(of: 2) ? keys : keys.reversed()
            await latches.withLatches(mine) { await Task.yield() }
          }
        }
      }
    }
    #expect(latches.heldCount == 0)
  }

  @Test func disjointKeysDoNotWaitForEachOther() async {
    let latches = Latches()
    await latches.withLatches([bytes(1)]) {
      // Would hang if key 2 waited on key 1.
      await latches.withLatches([bytes(2)]) {}
    }
    #expect(latches.heldCount == 0)
  }

  @Test func aThrowingBodyReleasesItsLatches() async {
    struct Failure: Error {}
    let latches = Latches()
    await #expect(throws: Failure.self) {
      try await latches.withLatches([bytes(1), bytes(2)]) { throw Failure() }
    }
    #expect(latches.heldCount == 0)
  }
}
