import Client
import Foundation
import Randomness

/// The bank workload: `accounts` accounts of `initialBalance` each; every operation moves a
/// random amount between two random accounts in one transaction, so the total never changes.
/// After the run the whole bank is read in one snapshot transaction and the total checked: a
/// wrong total means a transaction was applied partly or twice (a broken isolation or atomicity
/// guarantee, not a slow store).
struct Bank: Sendable {
  var accounts: Int
  var initialBalance = 1000

  /// The key of account `index` (apart from the other workloads' keys).
  func key(_ index: Int) -> Data { Data(String(format: "bank-%08d", index).utf8) }

  var total: Int { accounts * initialBalance }

  /// Opens every account at its initial balance, 100 accounts per transaction.
  func open<Router: TxnRouting, Oracle: TimestampOracle>(
    _ client: TxnClient<Router, Oracle>
  ) async throws {
    for start in stride(from: 0, to: accounts, by: 100) {
      try await client.run { txn in
        for index in start..<min(start + 100, accounts) {
          txn.put(key(index), Data("\(initialBalance)".utf8))
        }
      }
    }
  }

  /// Moves a random amount (up to the source's balance) between two random accounts.
  func transfer<Router: TxnRouting, Oracle: TimestampOracle>(
    _ client: TxnClient<Router, Oracle>, _ random: inout SplitMix64
  ) async throws {
    let from = Int(random.next() % UInt64(accounts))
    var to = Int(random.next() % UInt64(accounts - 1))
    if to >= from { to += 1 }
    let share = random.next() % 100
    try await client.run { txn in
      let source = try await balance(txn, from)
      let target = try await balance(txn, to)
      let amount = source * Int(share) / 100
      txn.put(key(from), Data("\(source - amount)".utf8))
      txn.put(key(to), Data("\(target + amount)".utf8))
    }
  }

  /// The sum of every account, read in one snapshot.
  func audit<Router: TxnRouting, Oracle: TimestampOracle>(
    _ client: TxnClient<Router, Oracle>
  ) async throws -> Int {
    let txn = try await client.begin()
    let pairs = try await txn.scan(
      from: key(0), to: key(accounts), limit: UInt32(accounts) + 1)
    guard pairs.count == accounts else {
      throw BankError("the audit found \(pairs.count) accounts, not \(accounts)")
    }
    return pairs.reduce(0) { $0 + (Int(String(decoding: $1.value, as: UTF8.self)) ?? 0) }
  }

  private func balance<Router: TxnRouting, Oracle: TimestampOracle>(
    _ txn: Txn<Router, Oracle>, _ index: Int
  ) async throws -> Int {
    guard let value = try await txn.get(key(index)),
      let balance = Int(String(decoding: value, as: UTF8.self))
    else { throw BankError("account \(index) is missing") }
    return balance
  }
}

/// The bank's books do not balance, or an account is missing.
struct BankError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
