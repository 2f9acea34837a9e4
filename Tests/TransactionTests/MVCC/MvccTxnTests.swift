import Foundation
import Storage
import Testing

@testable import Transaction

@Suite struct MvccTxnTests {
  let key = bytes(16, 240)

  @Test func putLockWritesTheLockColumnFamily() async throws {
    let store = try StoreFixture()
    var txn = MvccTxn(reader: try await store.reader(), startTS: 42)
    let lock = Lock(primary: bytes(16), startTS: 100, ttl: 100_000, kind: .delete)
    txn.putLock(bytes(1), lock)
    #expect(
      txn.modifications == [.put(.lock, key: MvccKey.lockKey(bytes(1)), value: lock.encoded())])
  }

  @Test func putWriteUsesTheCommitTimestamp() async throws {
    let store = try StoreFixture()
    var txn = MvccTxn(reader: try await store.reader(), startTS: 0)
    let write = Write(startTS: 100, kind: .delete)
    txn.putWrite(key, commitTS: 0, write)
    #expect(
      txn.modifications == [.put(.write, key: MvccKey.encode(key, 0), value: write.encoded())])
  }

  @Test func putAndDeleteValueUseTheStartTimestamp() async throws {
    let store = try StoreFixture()
    var txn = MvccTxn(reader: try await store.reader(), startTS: 453_325_345)
    txn.putValue(bytes(32), bytes(1, 1, 2, 3, 5, 8, 13))
    txn.deleteValue(bytes(17, 255, 0))
    txn.deleteLock(bytes(1))
    #expect(
      txn.modifications == [
        .put(
          .default, key: MvccKey.encode(bytes(32), 453_325_345), value: bytes(1, 1, 2, 3, 5, 8, 13)),
        .delete(.default, key: MvccKey.encode(bytes(17, 255, 0), 453_325_345)),
        .delete(.lock, key: MvccKey.lockKey(bytes(1))),
      ])
  }

  @Test func readsTheLockOfAKey() async throws {
    let store = try StoreFixture()
    try await store.putLock(bytes(1), primary: bytes(16), startTS: 100, ttl: 100_000, kind: .lock)
    let reader = try await store.reader()
    #expect(
      try reader.lock(bytes(1)) == Lock(primary: bytes(16), startTS: 100, ttl: 100_000, kind: .lock)
    )
    #expect(try reader.lock(bytes(2)) == nil)
  }

  /// One put: started 40, committed 42.
  func singleEntry(_ store: StoreFixture) async throws {
    try await store.putCommitted(key, startTS: 40, commitTS: 42, bytes(1, 2, 3))
  }

  /// Two puts: started 40 committed 42, started 50 committed 52.
  func twoEntries(_ store: StoreFixture) async throws {
    try await singleEntry(store)
    try await store.putCommitted(key, startTS: 50, commitTS: 52, bytes(255, 0, 255))
  }

  /// A put (40, 42), then a delete (50, 52).
  func deleted(_ store: StoreFixture) async throws {
    try await singleEntry(store)
    try await store.putWrite(key, commitTS: 52, .delete, startTS: 50)
  }

  @Test func valueAtATimestamp() async throws {
    let store = try StoreFixture()
    try await singleEntry(store)
    let reader = try await store.reader()
    #expect(try reader.value(key, at: 43) == bytes(1, 2, 3))
    #expect(try reader.value(key, at: 42) == bytes(1, 2, 3))
    #expect(try reader.value(key, at: 41) == nil, "committed after the read")
    #expect(try reader.value(bytes(16, 241), at: 43) == nil, "another key")
    #expect(try reader.value(bytes(16), at: 43) == nil, "a prefix of the key")
  }

  @Test func valueOfAnOverwrittenKey() async throws {
    let store = try StoreFixture()
    try await twoEntries(store)
    let reader = try await store.reader()
    #expect(try reader.value(key, at: 52) == bytes(255, 0, 255))
    #expect(try reader.value(key, at: 50) == bytes(1, 2, 3))
  }

  @Test func valueOfADeletedKey() async throws {
    let store = try StoreFixture()
    try await deleted(store)
    let reader = try await store.reader()
    #expect(try reader.value(key, at: 500) == nil)
    #expect(try reader.value(key, at: 45) == bytes(1, 2, 3))
  }

  @Test func valueLooksThroughRollbackAndLockRecords() async throws {
    let store = try StoreFixture()
    try await singleEntry(store)
    try await store.putWrite(key, commitTS: 60, .rollback, startTS: 60)
    try await store.putWrite(key, commitTS: 72, .lock, startTS: 70)
    #expect(try await store.reader().value(key, at: 100) == bytes(1, 2, 3))
  }

  @Test func aCommittedPutWithoutItsValueIsCorrupt() async throws {
    let store = try StoreFixture()
    try await store.putWrite(key, commitTS: 42, .put, startTS: 40)
    let reader = try await store.reader()
    #expect(throws: TransactionError.self) { try reader.value(key, at: 50) }
  }

  @Test func writeOfAStartTimestamp() async throws {
    let store = try StoreFixture()
    try await twoEntries(store)
    let reader = try await store.reader()
    #expect(
      try reader.write(key, startTS: 50)
        == CommittedWrite(write: Write(startTS: 50, kind: .put), commitTS: 52))
    #expect(
      try reader.write(key, startTS: 40)
        == CommittedWrite(write: Write(startTS: 40, kind: .put), commitTS: 42))
    #expect(try reader.write(key, startTS: 41) == nil)
  }

  @Test func mostRecentWrite() async throws {
    let empty = try StoreFixture()
    #expect(try await empty.reader().mostRecentWrite(key) == nil)

    let two = try StoreFixture()
    try await twoEntries(two)
    let reader = try await two.reader()
    #expect(
      try reader.mostRecentWrite(key)
        == CommittedWrite(write: Write(startTS: 50, kind: .put), commitTS: 52))
    #expect(try reader.mostRecentWrite(bytes(16)) == nil, "no entry for a prefix of the key")

    let deletedStore = try StoreFixture()
    try await deleted(deletedStore)
    #expect(
      try await deletedStore.reader().mostRecentWrite(key)
        == CommittedWrite(write: Write(startTS: 50, kind: .delete), commitTS: 52))
  }

  @Test func locksOfATransaction() async throws {
    let store = try StoreFixture()
    try await store.putLock(bytes(3), primary: bytes(3), startTS: 100)
    try await store.putLock(bytes(7), primary: bytes(3), startTS: 100)
    try await store.putLock(bytes(5), primary: bytes(5), startTS: 110)
    let locks = try await store.reader().locks(startTS: 100)
    #expect(locks.map(\.key) == [bytes(3), bytes(7)])
  }
}
