import Foundation
import TestSupport

/// Whether this machine can run chaos stores in network namespaces (root, `ip`, `nft`, `tc`,
/// namespaces, veth pairs, bridges and nftables allowed) and whether its kernel has netem;
/// found once per test process by building and deleting a small namespace.
enum NetnsSupport {
  struct Capabilities: Sendable {
    /// The netem queueing discipline (delay, jitter, reordering); without it a degraded link
    /// is a rate limit, loss and duplication.
    var netem: Bool
  }

  /// `CHAOS_NETNS`: `1` runs every chaos test in namespaces, `0` skips the namespace test
  /// even on CI; unset runs only the namespace test there (when the machine allows it).
  static let setting = ProcessInfo.processInfo.environment["CHAOS_NETNS"]
  /// On CI (`CI=true`) a machine that cannot run the namespace test fails it.
  static let onCI = ProcessInfo.processInfo.environment["CI"] == "true"

  /// The probe's result: the capabilities, or why namespaces cannot be used.
  static let probe: Result<Capabilities, TestFailure> = runProbe()

  /// Whether the namespace test runs: not turned off, and possible here (or on CI, where it
  /// then fails with the reason). Prints the reason when it skips.
  static var netnsTestRuns: Bool {
    if setting == "0" {
      print("chaos netns: skipped: CHAOS_NETNS=0")
      return false
    }
    if case .failure(let reason) = probe, !onCI {
      print("chaos netns: skipped: \(reason)")
      return false
    }
    return true
  }

  /// The capabilities, or the reason as a thrown `TestFailure`.
  static func require() throws -> Capabilities { try probe.get() }

  private static func runProbe() -> Result<Capabilities, TestFailure> {
    guard geteuid() == 0 else {
      return .failure(TestFailure("network namespaces need root (uid \(geteuid()))"))
    }
    for tool in ["ip", "tc", "nft"] where Shell.find(tool) == nil {
      return .failure(
        TestFailure(
          "\(tool) is not installed (scripts/install-deps.sh installs iproute2 and nftables)"))
    }
    let namespace = ChaosNetwork.newID() + "-probe"
    defer { Shell.attempt(["ip", "netns", "del", namespace]) }
    do {
      try Shell.run(["ip", "netns", "add", namespace])
      try Shell.run([
        "ip", "-n", namespace, "link", "add", "p0", "type", "veth", "peer", "name", "p1",
      ])
      try Shell.run(["ip", "-n", namespace, "link", "add", "pb", "type", "bridge"])
      try Shell.run(["ip", "netns", "exec", namespace, "nft", "add", "table", "ip", "probe"])
    } catch {
      return .failure(TestFailure("network namespaces not permitted here: \(error)"))
    }
    let netem =
      (try? Shell.run([
        "ip", "netns", "exec", namespace, "tc", "qdisc", "add", "dev", "p0", "root", "netem",
        "delay",
        "1ms",
      ])) != nil
    return .success(Capabilities(netem: netem))
  }
}
