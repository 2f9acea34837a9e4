import Client
import Foundation
import Randomness
import Storage
import Testing
import TinyKVProto

@testable import Transaction

/// The bank test with pessimistic transactions driven straight through the handler, as TiKV's
/// clients drive them: lock both accounts (reading their balances at `for_update_ts`), prewrite
/// with pessimistic checks, commit the primary, then the secondary. A tenth of the transfers
/// "crash" after their pessimistic locks or their prewrite with a 20 ms TTL; the others resolve
/// what they meet. A checker sums all accounts with KvBatchGet the whole time.
@Suite struct PessimisticBankTests {
  static let accounts = 8
  static let initialBalance = 100

  @Test func concurrentPessimisticTransfersKeepTheTotal() async throws {
    let seed = bankSeed("pessimistic bank")
    let store = try StoreFixture()
    let bank = PessimisticBank(handler: store.handler, clock: HybridClock())
    try await bank.open(accounts: Self.accounts, balance: Self.initialBalance)
    let expected = Self.accounts * Self.initialBalance
    let done = StopFlag()
    let (committed, badTotals) = try await withThrowingTaskGroup(
      of: (Int, [Int]).self
    ) { group in
      for worker in 0..<6 {
        group.addTask {
          var generator = SplitMix64(seed: seed &+ UInt64(worker) &* 0x9E37_79B9)
          var committed = 0
          for _ in 0..<25 {
            if try await bank.transfer(accounts: Self.accounts, using: &generator) {
              committed += 1
            }
          }
          return (committed, [])
        }
      }
      group.addTask {
        var bad: [Int] = []
        while !done.isSet {
          let total = try await bank.total(accounts: Self.accounts)
          if total != expected { bad.append(total) }
        }
        return (0, bad)
      }
      var committed = 0
      var bad: [Int] = []
      var finished = 0
      for try await (count, totals) in group {
        committed += count
        bad += totals
        finished += 1
        if finished == 6 { done.set() }
      }
      return (committed, bad)
    }
    let final = try await bank.total(accounts: Self.accounts)
    #expect(badTotals.isEmpty, "seed \(seed) (rerun with BANK_SEED=\(seed)): \(badTotals)")
    #expect(final == expected, "seed \(seed): final total \(final)")
    #expect(committed > 0, "seed \(seed): nothing committed")
  }
}

/// Pessimistic transfers between accounts over a `TransactionHandler`.
struct PessimisticBank: Sendable {
  let handler: TransactionHandler<StandaloneStorage>
  let clock: HybridClock

  func account(_ index: Int) -> Data { Data(String(format: "pbank/%04d", index).utf8) }

  func open(accounts: Int, balance: Int) async throws {
    let startTS = clock.timestamp()
    let keys = (0..<accounts).map(account)
    let prewrite = try await handler.prewrite(
      prewriteRequest(
        keys.map { mutation($0, .put, Data("\(balance)".utf8)) }, primary: keys[0],
        startTS: startTS, ttl: 3000))
    precondition(prewrite.errors.isEmpty, "\(prewrite.errors)")
    let commit = try await handler.commit(
      commitRequest(keys, startTS: startTS, commitTS: clock.timestamp()))
    precondition(!commit.hasError, "\(commit.error)")
  }

  /// One transfer; whether it committed.
  func transfer(accounts: Int, using generator: inout SplitMix64) async throws -> Bool {
    let from = Int.random(in: 0..<accounts, using: &generator)
    var to = Int.random(in: 0..<accounts - 1, using: &generator)
    if to >= from { to += 1 }
    let amount = Int.random(in: 1...20, using: &generator)
    let crash = Int.random(in: 0..<10, using: &generator) == 0
    let crashAfterPrewrite = Bool.random(using: &generator)
    let keys = [account(from), account(to)]
    let primary = keys[0].lexicographicallyPrecedes(keys[1]) ? keys[0] : keys[1]
    let ttl: UInt64 = crash ? 20 : 3000
    // A lock expires `ttl` ms after its start timestamp's millisecond (truncated: up to 1 ms early).
    let started = ContinuousClock.now
    let startTS = clock.timestamp()

    var balances: [Int] = []
    var forUpdateTS: UInt64 = 0
    for _ in 0..<200 {
      forUpdateTS = clock.timestamp()
      var request = pessimisticLockRequest(
        keys, primary: primary, startTS: startTS, forUpdateTS: forUpdateTS, ttl: ttl)
      request.returnValues = true
      let response = try await handler.pessimisticLock(request)
      guard let error = response.errors.first else {
        balances = response.values.map { Int(String(decoding: $0, as: UTF8.self)) ?? -1_000 }
        break
      }
      if error.hasLocked {
        try await resolve(error.locked, callerStartTS: startTS)
      } else if !error.hasConflict {
        Issue.record(Comment(rawValue: "pessimistic lock failed: \(error)"))
        return false
      }
    }
    guard balances.count == 2 else {
      _ = try await handler.pessimisticRollback(
        pessimisticRollbackRequest(keys, startTS: startTS, forUpdateTS: forUpdateTS))
      return false
    }
    if crash && !crashAfterPrewrite { return false }
    let newBalances =
      balances[0] >= amount ? [balances[0] - amount, balances[1] + amount] : balances
    let prewrite = try await handler.prewrite(
      pessimisticPrewriteRequest(
        zip(keys, newBalances).map { mutation($0, .put, Data("\($1)".utf8)) }, primary: primary,
        startTS: startTS, forUpdateTS: forUpdateTS, ttl: ttl))
    guard prewrite.errors.isEmpty else {
      // A transaction that will "crash" holds its locks with a 20 ms TTL: on a loaded machine
      // they can expire before its prewrite, and another transaction rightly rolls it back or
      // locks its keys.
      if !(crash && started.duration(to: .now) >= .milliseconds(ttl - 1)) {
        Issue.record(Comment(rawValue: "pessimistic prewrite failed: \(prewrite.errors)"))
      }
      return false
    }
    if crash { return false }
    let commitTS = clock.timestamp()
    let committed = try await handler.commit(
      commitRequest([primary], startTS: startTS, commitTS: commitTS))
    guard !committed.hasError else {
      Issue.record(Comment(rawValue: "primary commit failed: \(committed.error)"))
      return false
    }
    let secondary = keys.filter { $0 != primary }
    let rest = try await handler.commit(
      commitRequest(secondary, startTS: startTS, commitTS: commitTS))
    if rest.hasError { Issue.record(Comment(rawValue: "secondary commit failed: \(rest.error)")) }
    return true
  }

  /// Settles the transaction of `lock` if it is over (committed, or expired and rolled back);
  /// waits a little if it is alive.
  func resolve(_ lock: Kvrpcpb_LockInfo, callerStartTS: UInt64) async throws {
    var check = checkTxnStatusRequest(
      primary: lock.primaryLock, lockTS: lock.lockVersion, currentTS: clock.timestamp())
    check.callerStartTs = callerStartTS
    check.rollbackIfNotExist = true
    let status = try await handler.checkTxnStatus(check)
    if status.lockTtl > 0 {
      try await Task.sleep(for: .milliseconds(2))
      return
    }
    var resolve = resolveRequest(startTS: lock.lockVersion, commitTS: status.commitVersion)
    resolve.keys = [lock.key]
    let response = try await handler.resolveLock(resolve)
    if response.hasError { Issue.record(Comment(rawValue: "resolve failed: \(response.error)")) }
  }

  /// The sum of all balances at one timestamp, resolving locks in the way.
  func total(accounts: Int) async throws -> Int {
    while true {
      let readTS = clock.timestamp()
      let pairs = try await handler.batchGet(
        batchGetRequest((0..<accounts).map(account), at: readTS)
      ).pairs
      if let locked = pairs.first(where: \.hasError) {
        try await resolve(locked.error.locked, callerStartTS: readTS)
        continue
      }
      return pairs.reduce(0) { $0 + (Int(String(decoding: $1.value, as: UTF8.self)) ?? -1_000) }
    }
  }
}
