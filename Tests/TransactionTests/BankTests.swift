import Client
import Foundation
import Storage
import Testing

@testable import Transaction

extension TransactionHandler: TxnRPC {}

@Suite struct BankTests {
  @Test func concurrentTransfersKeepTheTotal() async throws {
    let store = try StoreFixture()
    var options = BankWorkload<TransactionHandler<StandaloneStorage>, HybridClock>.Options()
    options.seed = bankSeed("bank")
    let workload = BankWorkload(rpc: store.handler, oracle: HybridClock(), options: options)
    let report = try await workload.run()
    let seed = options.seed
    #expect(report.badChecks == 0, "seed \(seed) (rerun with BANK_SEED=\(seed)): \(report)")
    #expect(report.finalTotal == workload.expectedTotal, "seed \(seed): \(report)")
    #expect(report.checks > 0, "seed \(seed): \(report)")
    #expect(report.committed > 0, "seed \(seed): \(report)")
  }
}
