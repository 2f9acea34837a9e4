import Foundation
import Testing

@testable import Transaction

@Suite struct LockFormatTests {
  @Test func oldFormatRecordStillDecodes() throws {
    // A put lock as written before the extended form: "P", start ts 100, TTL 3000, primary "k".
    let stored = bytes(0x50, 0, 0, 0, 0, 0, 0, 0, 100, 0xB8, 0x17, 0x6B)
    let lock = try Lock(decoding: stored)
    #expect(lock == Lock(primary: bytes(0x6B), startTS: 100, ttl: 3000, kind: .put))
    #expect(lock.forUpdateTS == 0 && lock.minCommitTS == 0 && lock.txnSize == 0)
    #expect(lock.encoded() == stored)
  }

  @Test(arguments: [Lock.Kind.put, .delete, .lock, .pessimistic])
  func extendedLockRoundTrips(kind: Lock.Kind) throws {
    for (forUpdateTS, minCommitTS, txnSize) in [
      (UInt64(0), UInt64(0), UInt64(0)), (7, 0, 0), (0, 9, 0), (0, 0, 3), (.max, .max, .max),
    ] {
      let lock = Lock(
        primary: bytes(1, 2, 3), startTS: 42, ttl: 20, kind: kind, forUpdateTS: forUpdateTS,
        minCommitTS: minCommitTS, txnSize: txnSize)
      #expect(try Lock(decoding: lock.encoded()) == lock)
    }
  }

  @Test func extendedFormIsUsedOnlyWhenNeeded() {
    let plain = Lock(primary: bytes(1), startTS: 1, ttl: 1, kind: .put)
    #expect(plain.encoded().first == 0x50)
    var sized = plain
    sized.txnSize = 2
    #expect(sized.encoded().first == Lock.extendedMarker)
  }

  @Test func corruptExtendedLocksAreErrors() {
    let corrupt: [Data] = [
      bytes(0x2B),  // marker only
      bytes(0x2B, 0x58, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0),  // unknown kind
      bytes(0x2B, 0x50, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0),  // missing varints
      bytes(0x53, 0, 0, 0, 0, 0, 0, 0, 1, 0),  // pessimistic kind in the original form
    ]
    for data in corrupt {
      #expect(throws: TransactionError.self, "\(Array(data))") { try Lock(decoding: data) }
    }
  }

  @Test func pessimisticAndPushedLocksDoNotBlockReads() {
    let pessimistic = Lock(primary: bytes(1), startTS: 10, ttl: 1, kind: .pessimistic)
    #expect(!pessimistic.blocksRead(at: 20))
    let pushed = Lock(primary: bytes(1), startTS: 10, ttl: 1, kind: .put, minCommitTS: 21)
    #expect(!pushed.blocksRead(at: 20))
    #expect(pushed.blocksRead(at: 21))
  }

  @Test func lockInfoCarriesTheNewFields() {
    let lock = Lock(
      primary: bytes(1), startTS: 10, ttl: 5, kind: .lock, forUpdateTS: 12, minCommitTS: 13,
      txnSize: 4)
    let info = lock.info(key: bytes(2))
    #expect(info.lockType == .lock && info.lockForUpdateTs == 12)
    #expect(info.minCommitTs == 13 && info.txnSize == 4 && info.lockTtl == 5)
  }
}
