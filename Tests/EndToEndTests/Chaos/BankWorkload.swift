import Client
import Foundation
import Linearizability
import Randomness
import Synchronization

/// An operation of the bank workload, as its history records it.
enum BankInput: Hashable, Sendable, Codable {
  /// Moves `amount` from account `from` to account `to` (the output: the two new balances).
  case transfer(from: Int, to: Int, amount: Int)
  /// Reads every account in one snapshot (the output: the balances).
  case read
}

/// Accounts with a known total: clients move money between them in transactions while others
/// read every account in one snapshot. Snapshot isolation keeps the total in every snapshot,
/// whatever fails; a read summing to anything else is a violation.
final class BankWorkload: Sendable {
  let seed: UInt64
  let accounts: Int
  let initialBalance: Int
  let history = History<BankInput, [Int]>()
  private let stopped = Atomic<Bool>(false)
  private let counts = Mutex(Counts())
  /// Snapshot reads that broke the invariant, described.
  let violations = Mutex<[String]>([])

  struct Counts: Sendable {
    var transfers = 0
    var failedTransfers = 0
    var reads = 0
    var failedReads = 0
  }

  var total: Int { accounts * initialBalance }
  var summary: Counts { counts.withLock { $0 } }

  init(seed: UInt64, accounts: Int = 10, initialBalance: Int = 100) {
    self.seed = seed
    self.accounts = accounts
    self.initialBalance = initialBalance
  }

  func key(_ account: Int) -> Data { Data(String(format: "acct-%02d", account).utf8) }

  /// Writes the initial balances in one transaction and, beside each account, 4 KiB of filler
  /// so that the accounts fall into several regions. Each transaction is retried a few times
  /// (it writes the same values again): while a region splits, the scheduler can briefly know
  /// no region for a key, and the transactional client does not retry that (see
  /// docs/CHAOS.md, "Findings").
  func setUp(_ db: TxnClient<ClusterTxnRouter, SchedulerClient>) async throws {
    try await retried("initial balances") {
      try await db.run { txn in
        for account in 0..<self.accounts {
          txn.put(self.key(account), Data("\(self.initialBalance)".utf8))
        }
      }
    }
    for account in 0..<accounts {
      try await retried("filler of account \(account)") {
        try await db.run { txn in
          for filler in 0..<4 {
            txn.put(
              self.key(account) + Data(String(format: "-fill-%02d", filler).utf8),
              Data(repeating: UInt8(ascii: "f"), count: 1024))
          }
        }
      }
    }
  }

  private func retried(_ what: String, _ body: () async throws -> Void) async throws {
    for attempt in 1... {
      do {
        return try await body()
      } catch  where attempt < 10 {
        print("bank set-up: \(what), attempt \(attempt): \(error)")
        try await Task.sleep(for: .milliseconds(200))
      }
    }
  }

  /// Runs `transferrers` and `readers` clients until ``stop()``.
  func run(_ db: TxnClient<ClusterTxnRouter, SchedulerClient>, transferrers: Int, readers: Int)
    async
  {
    await withTaskGroup(of: Void.self) { group in
      for client in 0..<(transferrers + readers) {
        group.addTask {
          var random = SplitMix64(seed: self.seed &+ 1000 &+ UInt64(client))
          while !self.stopped.load(ordering: .relaxed) {
            if client < transferrers {
              let from = Int(random.next() % UInt64(self.accounts))
              let to = (from + 1 + Int(random.next() % UInt64(self.accounts - 1))) % self.accounts
              await self.transfer(from, to, Int(random.next() % 20) + 1, db, client: client)
            } else {
              await self.readAll(db, client: client)
            }
          }
        }
      }
    }
  }

  func stop() { stopped.store(true, ordering: .relaxed) }

  private func transfer(
    _ from: Int, _ to: Int, _ wanted: Int, _ db: TxnClient<ClusterTxnRouter, SchedulerClient>,
    client: Int
  ) async {
    let id = history.invoke(client: client, .transfer(from: from, to: to, amount: wanted))
    do {
      let balances = try await db.run(attempts: 5) { txn in
        let source = try await self.balance(from, txn)
        let target = try await self.balance(to, txn)
        let amount = min(wanted, source)
        txn.put(self.key(from), Data("\(source - amount)".utf8))
        txn.put(self.key(to), Data("\(target + amount)".utf8))
        return [source - amount, target + amount]
      }
      history.complete(id, .ok(balances))
      counts.withLock { $0.transfers += 1 }
    } catch {
      history.complete(id, .unknown)
      counts.withLock { $0.failedTransfers += 1 }
    }
  }

  private func balance(_ account: Int, _ txn: Txn<ClusterTxnRouter, SchedulerClient>)
    async throws -> Int
  {
    guard let value = try await txn.get(key(account)),
      let balance = Int(String(decoding: value, as: UTF8.self))
    else { throw BankError("account \(account) has no balance") }
    return balance
  }

  /// Reads every account in one snapshot and checks the total; returns the balances, nil if
  /// the read failed.
  @discardableResult
  func readAll(_ db: TxnClient<ClusterTxnRouter, SchedulerClient>, client: Int) async -> [Int]? {
    let id = history.invoke(client: client, .read)
    do {
      let txn = try await db.begin()
      var balances: [Int] = []
      for account in 0..<accounts { balances.append(try await balance(account, txn)) }
      history.complete(id, .ok(balances))
      counts.withLock { $0.reads += 1 }
      if balances.reduce(0, +) != total || balances.contains(where: { $0 < 0 }) {
        let problem =
          "snapshot at ts \(txn.startTS) sums to \(balances.reduce(0, +)), not \(total): "
          + "\(balances)"
        violations.withLock { $0.append(problem) }
      }
      return balances
    } catch {
      history.complete(id, .failed)
      counts.withLock { $0.failedReads += 1 }
      return nil
    }
  }
}

struct BankError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
