import Foundation
import Testing

@testable import Transaction

@Suite struct RecordTests {
  @Test(arguments: [Lock.Kind.put, .delete, .lock])
  func lockRoundTrips(kind: Lock.Kind) throws {
    for ttl in [UInt64(0), 1, 127, 128, 3000, .max] {
      for primary in [Data(), bytes(16), Data(repeating: 0xAB, count: 300)] {
        let lock = Lock(primary: primary, startTS: 0x0123_4567_89AB_CDEF, ttl: ttl, kind: kind)
        #expect(try Lock(decoding: lock.encoded()) == lock)
      }
    }
  }

  @Test func lockIsCompact() {
    let lock = Lock(primary: bytes(1, 2), startTS: 100, ttl: 3000, kind: .put)
    #expect(lock.encoded().count == 1 + 8 + 2 + 2)
  }

  @Test(arguments: [Write.Kind.put, .delete, .lock, .rollback])
  func writeRoundTrips(kind: Write.Kind) throws {
    let write = Write(startTS: .max - 3, kind: kind)
    #expect(write.encoded().count == 9)
    #expect(try Write(decoding: write.encoded()) == write)
  }

  @Test func corruptLocksAreErrors() {
    let corrupt: [Data] = [
      Data(),
      bytes(0x50, 0, 0, 0),  // truncated timestamp
      bytes(0x50, 0, 0, 0, 0, 0, 0, 0, 1),  // missing TTL
      bytes(0x58, 0, 0, 0, 0, 0, 0, 0, 1, 0),  // unknown kind
      bytes(0x50, 0, 0, 0, 0, 0, 0, 0, 1, 0x80),  // TTL varint cut short
      Data([0x50, 0, 0, 0, 0, 0, 0, 0, 1] + Array(repeating: 0xFF, count: 10) + [1]),  // overlong
    ]
    for data in corrupt {
      #expect(throws: TransactionError.self, "\(Array(data))") { try Lock(decoding: data) }
    }
  }

  @Test func corruptWritesAreErrors() {
    let corrupt: [Data] = [
      Data(), bytes(0x50), bytes(0x50, 0, 0, 0, 0, 0, 0, 0), bytes(0x50, 0, 0, 0, 0, 0, 0, 0, 1, 9),
      bytes(0x01, 0, 0, 0, 0, 0, 0, 0, 1),
    ]
    for data in corrupt {
      #expect(throws: TransactionError.self, "\(Array(data))") { try Write(decoding: data) }
    }
  }

  @Test func ttlComparesPhysicalTimeOnly() {
    let start = TSO.compose(physicalMillis: 1_000_000, logical: 200_000)
    let lock = Lock(primary: bytes(1), startTS: start, ttl: 100, kind: .put)
    #expect(!lock.isExpired(at: TSO.compose(physicalMillis: 1_000_099, logical: 262_143)))
    #expect(lock.isExpired(at: TSO.compose(physicalMillis: 1_000_100, logical: 0)))
    let forever = Lock(primary: bytes(1), startTS: start, ttl: .max, kind: .put)
    #expect(!forever.isExpired(at: .max))
  }
}
