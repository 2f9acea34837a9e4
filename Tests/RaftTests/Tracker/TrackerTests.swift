import Testing

@testable import Raft

@Suite("Inflights")
struct InflightsTests {
  @Test func addFreeAndWrap() {
    var inf = Inflights(capacity: 10)
    for i in 0..<5 { inf.add(UInt64(i)) }
    #expect(inf.count == 5)
    #expect(!inf.isFull)
    for i in 5..<10 { inf.add(UInt64(i)) }
    #expect(inf.isFull)
    inf.free(upTo: 4)
    #expect(inf.count == 5)
    #expect(inf.indexes == [5, 6, 7, 8, 9])
    // Wraps around the ring.
    for i in 10..<15 { inf.add(UInt64(i)) }
    #expect(inf.isFull)
    #expect(inf.indexes == (5..<15).map { UInt64($0) })
    inf.free(upTo: 8)
    #expect(inf.indexes == (9..<15).map { UInt64($0) })
    inf.free(upTo: 14)
    #expect(inf.count == 0)
  }

  @Test func freeFirstAndStaleFree() {
    var inf = Inflights(capacity: 4)
    for i in [3, 6, 9] { inf.add(UInt64(i)) }
    inf.free(upTo: 2)
    #expect(inf.count == 3, "freeing below the window does nothing")
    inf.freeFirst()
    #expect(inf.indexes == [6, 9])
    inf.reset()
    #expect(inf.count == 0)
  }
}

@Suite("Progress")
struct ProgressTests {
  @Test func stateTransitions() {
    var pr = Progress(match: 1, next: 5, maxInflight: 4)
    pr.becomeReplicate()
    #expect(pr.state == .replicate && pr.next == 2)
    pr.becomeSnapshot(10)
    #expect(pr.state == .snapshot && pr.pendingSnapshot == 10 && pr.isPaused)
    pr.becomeProbe()
    #expect(pr.state == .probe && pr.next == 11, "resume after the snapshot")
    pr.match = 15
    pr.becomeSnapshot(10)
    pr.becomeProbe()
    #expect(pr.next == 16, "or after match, when further")
  }

  @Test func updateAndDecrease() {
    var pr = Progress(match: 3, next: 5, maxInflight: 4)
    #expect(pr.maybeUpdate(2) == false)
    #expect(pr.next == 5)
    #expect(pr.maybeUpdate(4) == true)
    #expect(pr.match == 4 && pr.next == 5)
    // Probe: a stale rejection (not at next - 1) is ignored.
    #expect(pr.maybeDecrease(rejected: 2, matchHint: 2) == false)
    #expect(pr.maybeDecrease(rejected: 4, matchHint: 2) == true)
    #expect(pr.next == 3, "min(rejected, hint + 1)")
    // Replicate: a rejection above match goes back to match + 1.
    var rp = Progress(match: 5, next: 10, maxInflight: 4)
    rp.state = .replicate
    #expect(rp.maybeDecrease(rejected: 5, matchHint: 5) == false)
    #expect(rp.maybeDecrease(rejected: 9, matchHint: 9) == true)
    #expect(rp.next == 6)
  }

  @Test func pausing() {
    var pr = Progress(next: 1, maxInflight: 2)
    #expect(!pr.isPaused)
    pr.probeSent = true
    #expect(pr.isPaused)
    pr.becomeReplicate()
    #expect(!pr.isPaused)
    pr.inflights.add(1)
    pr.inflights.add(2)
    #expect(pr.isPaused)
  }
}
