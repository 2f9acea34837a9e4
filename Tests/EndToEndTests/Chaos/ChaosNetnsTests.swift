import Client
import Foundation
import TestSupport
import Testing

extension ChaosTests {
  /// The stores in network namespaces (``ChaosNetwork``), the nemesis drawing link cuts,
  /// isolations from the peers and degraded links besides kills, pauses and leader transfers;
  /// the registers and the acknowledged writes run side by side on one cluster. Skipped (with
  /// the reason printed) where namespaces are not permitted, except on CI, where it fails.
  @Test(
    "netns: registers stay linearizable and no acknowledged write is lost under network faults",
    .enabled(if: NetnsSupport.netnsTestRuns))
  func networkNamespaces() async throws {
    let capabilities = try NetnsSupport.require()
    var inNamespaces = ChaosSettings.fromEnvironment()
    inNamespaces.netns = true
    let settings = inNamespaces
    print(
      settings.banner("netns")
        + (capabilities.netem ? "" : "; no netem in this kernel: degraded links are rate limits"))
    try await ChaosCluster.with("netns", settings) { cluster in
      try await ClusterRawClient.connect(scheduler: cluster.endpoint, options: Self.impatient) {
        kv in
        try await fill(kv, beside: Self.keys)
        let registers = Workload(seed: settings.seed, keys: Self.keys)
        let writes = AcknowledgedWrites()
        let clients = Task {
          async let registerClients: Void = registers.run(kv, writers: 4, readers: 3)
          async let writeClients: Void = writes.run(kv, writers: 2)
          _ = await (registerClients, writeClients)
        }
        let faults = try await self.faults(
          settings, cluster, test: "netns", clients: clients,
          stop: {
            registers.stop()
            writes.stop()
          }
        ) { try await registers.waitForAcknowledged(20, "after healing") }
        for key in Self.keys { try await registers.read(key, kv, client: 99) }
        let verdict = registers.check(
          seed: settings.seed, name: "chaos-netns", unknownIsIssue: false)
        let lost = try await writes.lostWrites(kv)
        print(
          "chaos netns: \(faults.count) faults, \(registers.history.records.count) register "
            + "operations, \(registers.unknownWrites) writes of unknown outcome, verdict "
            + "\(verdict.label); \(writes.acknowledgedCount) acknowledged writes, "
            + "\(writes.unknownCount) of unknown outcome, \(lost.count) lost")
        reportLost(lost, writes, test: "netns", seed: settings.seed)
      }
    }
  }
}
