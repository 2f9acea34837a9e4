import Foundation
import Testing
import TinyKVProto

@testable import Transaction

@Suite struct TxnHeartBeatTests {
  let key = bytes(3)
  let startTS = tso(1_000_000, logical: 9)

  @Test func aHeartBeatExtendsTheTTLAndKeepsTheLockAlive() async throws {
    let store = try StoreFixture()
    try await store.putPrewritten(key, primary: key, startTS: startTS, bytes(1), ttl: 100)
    let response = try await store.handler.txnHeartBeat(
      heartBeatRequest(primary: key, startTS: startTS, adviseTTL: 500))
    #expect(!response.hasError && response.lockTtl == 500)
    #expect(try store.lock(key)?.ttl == 500)
    // At 1,000,200 ms the old TTL would have expired; the transaction is still alive.
    let status = try await store.handler.checkTxnStatus(
      checkTxnStatusRequest(primary: key, lockTS: startTS, currentTS: tso(1_000_200)))
    #expect(status.lockTtl == 500 && status.action == .noAction)
  }

  @Test func aHeartBeatNeverShortensTheTTL() async throws {
    let store = try StoreFixture()
    try await store.putPrewritten(key, primary: key, startTS: startTS, bytes(1), ttl: 100)
    let response = try await store.handler.txnHeartBeat(
      heartBeatRequest(primary: key, startTS: startTS, adviseTTL: 50))
    #expect(response.lockTtl == 100)
    #expect(try store.lock(key)?.ttl == 100)
  }

  @Test func aHeartBeatWithoutTheLockIsTxnNotFound() async throws {
    let store = try StoreFixture()
    try await store.putPrewritten(key, primary: key, startTS: startTS + 1, bytes(1), ttl: 100)
    let response = try await store.handler.txnHeartBeat(
      heartBeatRequest(primary: key, startTS: startTS, adviseTTL: 500))
    #expect(response.error.txnNotFound.startTs == startTS)
    #expect(try store.lock(key)?.ttl == 100)
  }
}
