import Foundation
import Testing
import TinyKVProto

@testable import RaftStore

/// The lease table's rules, one at a time, on a clock that moves only when told.
@Suite struct LocalReaderTests {
  private let clock = ManualClock()
  private let lease = Duration.milliseconds(100)

  private func reader() -> LocalReader { LocalReader(duration: lease, now: clock.now) }

  private func region(version: UInt64 = 1) -> Metapb_Region {
    var region = Metapb_Region()
    region.id = 2
    region.regionEpoch.version = version
    region.regionEpoch.confVer = 1
    return region
  }

  private func context(version: UInt64? = nil) -> Kvrpcpb_Context {
    var context = Kvrpcpb_Context()
    context.regionID = 2
    if let version {
      context.regionEpoch.version = version
      context.regionEpoch.confVer = 1
    }
    return context
  }

  @Test func servesWithinTheLeaseOnly() {
    let reader = reader()
    reader.applied(2, term: 3, region: region())
    #expect(reader.read(context()) == nil, "no lease yet")
    reader.renew(2, term: 3, sentAt: clock.now())
    #expect(reader.read(context())?.region == region())
    clock.advance(by: .milliseconds(99))
    #expect(reader.read(context()) != nil)
    clock.advance(by: .milliseconds(1))
    #expect(reader.read(context()) == nil, "expired")
  }

  @Test func needsAnAppliedEntryOfTheLeaseTerm() {
    let reader = reader()
    reader.applied(2, term: 3, region: region())
    reader.renew(2, term: 4, sentAt: clock.now())
    #expect(reader.read(context()) == nil)
    reader.applied(2, term: 4, region: region())
    #expect(reader.read(context()) != nil)
  }

  @Test func anEpochChangeEndsTheLeaseAndOlderRenewalsDoNotRestoreIt() {
    let reader = reader()
    reader.applied(2, term: 3, region: region())
    let before = clock.now()
    reader.renew(2, term: 3, sentAt: before)
    clock.advance(by: .milliseconds(10))
    reader.applied(2, term: 3, region: region(version: 2))
    #expect(reader.read(context()) == nil)
    reader.renew(2, term: 3, sentAt: before)
    #expect(reader.read(context()) == nil, "a renewal from before the split")
    reader.renew(2, term: 3, sentAt: clock.now())
    #expect(reader.read(context(version: 2))?.region.regionEpoch.version == 2)
    #expect(reader.read(context(version: 1)) == nil, "a stale epoch goes through Raft")
  }

  @Test func endStopsAtOnce() {
    let reader = reader()
    reader.applied(2, term: 3, region: region())
    reader.renew(2, term: 3, sentAt: clock.now())
    reader.end(2)
    #expect(reader.read(context()) == nil)
    reader.renew(2, term: 3, sentAt: clock.now())
    #expect(reader.read(context()) != nil, "renewed by a message sent after the end")
  }

  @Test func asksForRenewalOnceInTheLastThird() {
    let reader = reader()
    reader.applied(2, term: 3, region: region())
    reader.renew(2, term: 3, sentAt: clock.now())
    #expect(reader.read(context())?.renew == false)
    clock.advance(by: .milliseconds(70))
    #expect(reader.read(context())?.renew == true)
    #expect(reader.read(context())?.renew == false, "asked already")
    reader.renew(2, term: 3, sentAt: clock.now())
    clock.advance(by: .milliseconds(70))
    #expect(reader.read(context())?.renew == true, "asked again after the renewal")
  }

  @Test func offWithoutADuration() {
    let reader = LocalReader(duration: nil, now: clock.now)
    reader.applied(2, term: 3, region: region())
    reader.renew(2, term: 3, sentAt: clock.now())
    #expect(reader.read(context()) == nil)
  }
}
