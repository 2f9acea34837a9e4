import Client
import Foundation
import Synchronization
import Randomness

/// The bank test's workload: concurrent clients move money between accounts in transactions,
/// some of them "crashing" after their prewrite (leaving locks for others to clean up), while a
/// checker keeps reading the total in snapshot transactions. Money is never created or lost, so
/// every snapshot must see the same total.
public struct BankWorkload<RPC: TxnRPC, Oracle: TimestampOracle>: Sendable {
  public struct Options: Sendable {
    public var accounts = 10
    public var initialBalance = 100
    public var workers = 8
    public var transfersPerWorker = 30
    /// The share of transfers that stop after their prewrite, abandoning their locks.
    public var crashRate = 0.1
    public var seed: UInt64 = 1
    public init() {}
  }

  public struct Report: Sendable, CustomStringConvertible {
    public var committed = 0
    public var crashed = 0
    public var gaveUp = 0
    public var checks = 0
    /// How many snapshot reads saw a total other than the expected one.
    public var badChecks = 0
    /// The first few totals those reads saw.
    public var badTotals: [Int] = []
    public var finalTotal = 0
    public var description: String {
      "committed \(committed), crashed \(crashed), gave up \(gaveUp), checks \(checks), "
        + "bad checks \(badChecks) \(badTotals), final total \(finalTotal)"
    }
  }

  public let client: TxnClient<RPC, Oracle>
  /// Used for the transfers that crash: a short TTL, so that others clean up soon.
  public let crashingClient: TxnClient<RPC, Oracle>
  public let options: Options

  public init(rpc: RPC, oracle: Oracle, options: Options) {
    var normal = TxnClientOptions()
    normal.lockTTL = 2000
    var short = TxnClientOptions()
    short.lockTTL = 20
    client = TxnClient(rpc: rpc, oracle: oracle, options: normal)
    crashingClient = TxnClient(rpc: rpc, oracle: oracle, options: short)
    self.options = options
  }

  public var expectedTotal: Int { options.accounts * options.initialBalance }

  func account(_ index: Int) -> Data { Data(String(format: "bank/acct-%04d", index).utf8) }

  /// Runs the workload and reports what happened; the caller checks the report.
  public func run() async throws -> Report {
    try await client.run { txn in
      for index in 0..<options.accounts {
        txn.put(account(index), Data("\(options.initialBalance)".utf8))
      }
    }
    let done = StopFlag()
    var report = try await withThrowingTaskGroup(of: Report.self) { group in
      for worker in 0..<options.workers {
        group.addTask {
          var generator = SplitMix64(seed: options.seed &+ UInt64(worker) &* 0x9E37_79B9)
          var report = Report()
          for _ in 0..<options.transfersPerWorker {
            try await transfer(using: &generator, into: &report)
          }
          return report
        }
      }
      group.addTask {
        var report = Report()
        while !done.isSet {
          let total = try await readTotal()
          report.checks += 1
          if total != expectedTotal {
            report.badChecks += 1
            if report.badTotals.count < 10 { report.badTotals.append(total) }
          }
        }
        return report
      }
      var merged = Report()
      var finishedWorkers = 0
      for try await partial in group {
        merged.committed += partial.committed
        merged.crashed += partial.crashed
        merged.gaveUp += partial.gaveUp
        merged.checks += partial.checks
        merged.badChecks += partial.badChecks
        merged.badTotals += partial.badTotals
        finishedWorkers += 1
        if finishedWorkers == options.workers { done.set() }
      }
      return merged
    }
    report.finalTotal = try await readTotal()
    return report
  }

  private func transfer(using generator: inout SplitMix64, into report: inout Report)
    async throws
  {
    let from = Int.random(in: 0..<options.accounts, using: &generator)
    var to = Int.random(in: 0..<options.accounts - 1, using: &generator)
    if to >= from { to += 1 }
    let amount = Int.random(in: 1...20, using: &generator)
    let crash = Double.random(in: 0..<1, using: &generator) < options.crashRate

    if crash {
      let txn = try await crashingClient.begin()
      do {
        try await move(amount, from: from, to: to, in: txn)
        try await txn.prewrite()
        report.crashed += 1  // Gone without a word: its locks stay until someone resolves them.
      } catch let error as TxnClientError where error.isRetryable {
        report.gaveUp += 1
      }
      return
    }
    do {
      try await client.run { txn in try await move(amount, from: from, to: to, in: txn) }
      report.committed += 1
    } catch let error as TxnClientError where error.isRetryable {
      report.gaveUp += 1
    }
  }

  private func move(_ amount: Int, from: Int, to: Int, in txn: Txn<RPC, Oracle>) async throws {
    let fromBalance = try await balance(from, in: txn)
    let toBalance = try await balance(to, in: txn)
    guard fromBalance >= amount else { return }
    txn.put(account(from), Data("\(fromBalance - amount)".utf8))
    txn.put(account(to), Data("\(toBalance + amount)".utf8))
  }

  private func balance(_ index: Int, in txn: Txn<RPC, Oracle>) async throws -> Int {
    guard let data = try await txn.get(account(index)),
      let balance = Int(String(decoding: data, as: UTF8.self))
    else {
      throw TxnClientError(.aborted, "account \(index) has no readable balance")
    }
    return balance
  }

  /// The sum of all balances in one snapshot.
  public func readTotal() async throws -> Int {
    let txn = try await client.begin()
    let pairs = try await txn.scan(from: Data("bank/".utf8), limit: UInt32(options.accounts + 1))
    return pairs.reduce(0) { $0 + (Int(String(decoding: $1.value, as: UTF8.self)) ?? -1_000_000) }
  }
}

/// A flag one task raises and others poll.
final class StopFlag: Sendable {
  private let raised = Atomic<Bool>(false)
  var isSet: Bool { raised.load(ordering: .acquiring) }
  func set() { raised.store(true, ordering: .releasing) }
}
