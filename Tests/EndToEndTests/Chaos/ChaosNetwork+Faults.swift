import Foundation

/// A bad link, drawn from a seeded number: delay with jitter, loss, reordering, duplication
/// (with netem), or, on a kernel without netem, a rate limit (queueing delay), loss and
/// duplication through `tc tbf` and nftables.
struct Degradation: Sendable, CustomStringConvertible {
  var delayMilliseconds: Int
  var jitterMilliseconds: Int
  var lossPercent: Int
  var reorderPercent: Int
  var duplicatePercent: Int
  /// The rate of the fallback without netem.
  var rateKilobits: Int
  var netem: Bool

  /// Delay 10-60 ms (jitter half of it), loss 0-5 %, reordering 0-20 %, duplication 0-3 %,
  /// fallback rate 512-4096 kbit/s, each from its own bits of `pick`.
  init(pick: UInt64, netem: Bool) {
    delayMilliseconds = 10 + Int(pick % 51)
    jitterMilliseconds = delayMilliseconds / 2
    lossPercent = Int((pick >> 8) % 6)
    reorderPercent = Int((pick >> 16) % 21)
    duplicatePercent = Int((pick >> 24) % 4)
    rateKilobits = 512 * (1 + Int((pick >> 32) % 8))
    self.netem = netem
  }

  var description: String {
    netem
      ? "delay \(delayMilliseconds)ms ±\(jitterMilliseconds)ms, loss \(lossPercent)%, "
        + "reorder \(reorderPercent)%, duplicate \(duplicatePercent)% (netem, both directions)"
      : "rate \(rateKilobits)kbit, loss \(lossPercent)%, duplicate \(duplicatePercent)% "
        + "(tbf and nftables: this kernel has no netem, so no delay or reordering)"
  }

  /// The `tc qdisc add dev <link> root ...` arguments after `root`.
  var qdisc: [String] {
    netem
      ? [
        "netem", "delay", "\(delayMilliseconds)ms", "\(jitterMilliseconds)ms", "loss",
        "\(lossPercent)%", "reorder", "\(reorderPercent)%", "duplicate", "\(duplicatePercent)%",
      ]
      : ["tbf", "rate", "\(rateKilobits)kbit", "burst", "32kbit", "latency", "200ms"]
  }
}

/// A network fault on one store, healed by ``ChaosNetwork/heal(_:)``.
enum NetworkFault: Sendable {
  /// The store's veth is down at the bridge: nothing reaches it, clients included.
  case linkDown
  /// nftables in the store's namespace drops everything to and from the other stores; the
  /// scheduler and the clients still reach it (a leader can answer clients but not its peers).
  case isolate
  /// Both ends of the store's veth degrade (see ``Degradation``).
  case degrade(Degradation)
}

extension ChaosNetwork {
  private static let isolateTable = "tkvc_isolate"
  private static let degradeTable = "tkvc_degrade"

  /// Injects `fault` on store `store`.
  func inject(_ fault: NetworkFault, on store: Int) throws {
    switch fault {
    case .linkDown:
      try Shell.run(["ip", "-n", hub, "link", "set", hubLink(store), "down"])
    case .isolate:
      let peers = (0..<stores).filter { $0 != store }.map(address).joined(separator: ", ")
      try nft(
        store,
        """
        table ip \(Self.isolateTable) {
          chain input { type filter hook input priority 0; policy accept; ip saddr { \(peers) } drop; }
          chain output { type filter hook output priority 0; policy accept; ip daddr { \(peers) } drop; }
        }
        """)
    case .degrade(let degradation):
      try Shell.run(
        [
          "ip", "netns", "exec", namespace(store), "tc", "qdisc", "add", "dev", storeLink(store),
          "root",
        ] + degradation.qdisc)
      try Shell.run(
        ["ip", "netns", "exec", hub, "tc", "qdisc", "add", "dev", hubLink(store), "root"]
          + degradation.qdisc)
      if !degradation.netem { try degradeWithNftables(store, degradation) }
    }
  }

  /// Loss both ways and duplication of what the store sends, for kernels without netem.
  private func degradeWithNftables(_ store: Int, _ degradation: Degradation) throws {
    let subnet = "10.200.\(subnet).0/24"
    let loss = "numgen random mod 100 < \(degradation.lossPercent) drop"
    let duplicate =
      "numgen random mod 100 < \(degradation.duplicatePercent) dup to ip daddr device "
      + storeLink(store)
    try nft(
      store,
      """
      table ip \(Self.degradeTable) {
        chain input { type filter hook input priority 0; policy accept; ip saddr \(subnet) \(loss); }
        chain output {
          type filter hook output priority 0; policy accept;
          ip daddr \(subnet) \(loss); ip daddr \(subnet) \(duplicate);
        }
      }
      """)
  }

  /// Lifts every network fault of store `store` (any that is not there is skipped).
  func heal(_ store: Int) {
    Shell.attempt(["ip", "-n", hub, "link", "set", hubLink(store), "up"])
    for table in [Self.isolateTable, Self.degradeTable] {
      Shell.attempt([
        "ip", "netns", "exec", namespace(store), "nft", "delete", "table", "ip", table,
      ])
    }
    Shell.attempt(
      [
        "ip", "netns", "exec", namespace(store), "tc", "qdisc", "del", "dev", storeLink(store),
        "root",
      ])
    Shell.attempt(["ip", "netns", "exec", hub, "tc", "qdisc", "del", "dev", hubLink(store), "root"])
  }

  private func nft(_ store: Int, _ script: String) throws {
    try Shell.run(["ip", "netns", "exec", namespace(store), "nft", "-f", "-"], input: script)
  }
}
