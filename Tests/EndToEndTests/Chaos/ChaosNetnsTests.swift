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
    let settings = ChaosSettings.inNamespaces()
    print(
      settings.banner("netns")
        + (capabilities.netem ? "" : "; no netem in this kernel: degraded links are rate limits"))
    try await ChaosCluster.with("netns", settings) { cluster in
      try await withRawClients(cluster) { kv, patient in
        try await fill(patient, beside: settings.keys)
        let registers = Workload(seed: settings.seed, keys: settings.keys)
        let writes = AcknowledgedWrites()
        let clients = Task {
          async let registerClients: Void = registers.run(
            kv, writers: settings.writers, readers: settings.readers)
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
        for key in settings.keys { try await registers.read(key, patient, client: 99) }
        let verdict = registers.check(seed: settings.seed, name: "chaos-netns")
        let lost = try await writes.lostWrites(patient)
        print(
          "chaos netns: \(faults.count) faults, \(registers.history.records.count) register "
            + "operations, \(registers.unknownWrites) writes of unknown outcome, verdict "
            + "\(verdict.label); \(writes.acknowledgedCount) acknowledged writes, "
            + "\(writes.unknownCount) of unknown outcome, \(lost.count) lost")
        reportLost(lost, writes, test: "netns", seed: settings.seed)
      }
    }
  }

  /// The fault primitives themselves, on a running cluster: isolate cuts store 0 off from its
  /// peers but not from the root namespace (the clients), link-down from both, degrade leaves
  /// it reachable with a qdisc on its veth, and healing undoes each.
  @Test(
    "netns faults: isolate cuts a store from its peers only, link-down from everyone, heal undoes",
    .enabled(if: NetnsSupport.netnsTestRuns))
  func networkFaultsDoWhatTheySay() async throws {
    _ = try NetnsSupport.require()
    try await ChaosCluster.with("netns-faults", ChaosSettings.inNamespaces()) { cluster in
      let network = try #require(cluster.network)
      let (host, port) = (cluster.host(0), cluster.ports[0])
      /// Whether a connection to store 0 succeeds from store `store`'s namespace, or from the
      /// root namespace when nil.
      func reaches(from store: Int?) -> Bool {
        guard let store else {
          return Reachability.isListening(host: host, port: port, timeout: .seconds(1))
        }
        let probe = ["timeout", "-s", "KILL", "1", "bash", "-c", "</dev/tcp/\(host)/\(port)"]
        return (try? Shell.run(["ip", "netns", "exec", network.namespace(store)] + probe)) != nil
      }
      func qdisc() throws -> String {
        try Shell.run(
          [
            "ip", "netns", "exec", network.namespace(0), "tc", "qdisc", "show", "dev",
            network.storeLink(0),
          ])
      }
      #expect(reaches(from: nil) && reaches(from: 1))
      try await cluster.inject(.isolate, on: 0)
      #expect(reaches(from: nil), "isolate must leave the clients' path open")
      #expect(!reaches(from: 1), "isolate must cut the peers off")
      await cluster.healNetwork(0)
      try await eventually("store 0 reachable from store 1 after healing", timeout: .seconds(10)) {
        reaches(from: 1)
      }
      try await cluster.inject(.linkDown, on: 0)
      #expect(!reaches(from: nil) && !reaches(from: 2))
      await cluster.healNetwork(0)
      // A SYN sent while the link came back up is retried after a second: poll.
      try await eventually("store 0 reachable after its link is up", timeout: .seconds(10)) {
        reaches(from: nil) && reaches(from: 2)
      }
      try await cluster.inject(.degrade(Degradation(pick: 42, netem: network.netem)), on: 0)
      #expect(try qdisc().contains(network.netem ? "netem" : "tbf"))
      try await eventually("store 0 reachable through the degraded link", timeout: .seconds(10)) {
        reaches(from: nil)
      }
      await cluster.healNetwork(0)
      #expect(try !qdisc().contains("netem") && !qdisc().contains("tbf"))
    }
  }
}
