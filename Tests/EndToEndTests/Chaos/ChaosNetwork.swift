import Foundation
import TestSupport

/// The network of a chaos run in namespace mode (docs/CHAOS.md, "Network namespaces"): each
/// store in a Linux network namespace of its own, joined to the others by a veth pair to a
/// bridge in a hub namespace; the test process (the scheduler, the clients) reaches the bridge
/// through one more veth pair whose root end has the gateway address.
///
///     root namespace: <id>r0 10.200.N.1 ── <id>r1 ┐
///     <id>-hub:       bridge <id>b ───────────────┼── <id>h0 ── <id>s0 10.200.N.10 in <id>-s0
///                                                 └── <id>h1 ── <id>s1 10.200.N.11 in <id>-s1 …
///
/// The bridge lives in a namespace of its own so that the host's firewall (a FORWARD policy of
/// DROP with `br_netfilter`, as Docker sets) never sees the stores' traffic, and so that deleting
/// the namespaces removes every link. Names start with `tkvc`, then the test process's id (6
/// hex digits) and 2 random ones, so that leftovers of a crashed run (whose process is gone)
/// are recognized and removed by the next run.
final class ChaosNetwork: Sendable {
  static let prefix = "tkvc"

  /// `tkvc<pid><random>`: 12 characters, leaving 3 for link names (15 at most).
  let id: String
  /// The third byte of the run's subnet, 10.200.N.0/24.
  let subnet: Int
  let stores: Int
  /// Whether the kernel has the netem queueing discipline (delay, reordering).
  let netem: Bool

  var gateway: String { "10.200.\(subnet).1" }
  func address(_ store: Int) -> String { "10.200.\(subnet).\(10 + store)" }
  var hub: String { "\(id)-hub" }
  func namespace(_ store: Int) -> String { "\(id)-s\(store)" }
  /// The store's end of its veth pair, inside its namespace.
  func storeLink(_ store: Int) -> String { "\(id)s\(store)" }
  /// The bridge's end of the store's veth pair, in the hub.
  func hubLink(_ store: Int) -> String { "\(id)h\(store)" }
  private var bridge: String { "\(id)b" }
  private var rootLink: String { "\(id)r0" }

  private init(stores: Int, netem: Bool) {
    id = Self.newID()
    let used = (try? Shell.run(["ip", "-o", "-4", "addr", "show"])) ?? ""
    subnet =
      (0..<64).lazy.map { _ in Int.random(in: 0...255) }
      .first { !used.contains("10.200.\($0).") } ?? 0
    self.stores = stores
    self.netem = netem
  }

  /// Removes stale namespaces, then builds the network of `stores` stores.
  /// - Throws: `TestFailure` if a command fails; what was built is removed first.
  static func create(stores: Int, netem: Bool) throws -> ChaosNetwork {
    removeStale()
    let network = ChaosNetwork(stores: stores, netem: netem)
    do {
      try network.build()
    } catch {
      network.remove()
      throw error
    }
    return network
  }

  private func build() throws {
    try Shell.run(["ip", "netns", "add", hub])
    try Shell.run(["ip", "-n", hub, "link", "add", bridge, "type", "bridge"])
    try Shell.run(["ip", "-n", hub, "link", "set", bridge, "up"])
    try Shell.run(
      ["ip", "link", "add", rootLink, "type", "veth", "peer", "name", "\(id)r1", "netns", hub])
    try Shell.run(["ip", "-n", hub, "link", "set", "\(id)r1", "master", bridge, "up"])
    try Shell.run(["ip", "addr", "add", "\(gateway)/24", "dev", rootLink])
    try Shell.run(["ip", "link", "set", rootLink, "up"])
    for store in 0..<stores {
      let space = namespace(store)
      try Shell.run(["ip", "netns", "add", space])
      try Shell.run(["ip", "-n", space, "link", "set", "lo", "up"])
      try Shell.run([
        "ip", "link", "add", storeLink(store), "netns", space, "type", "veth", "peer", "name",
        hubLink(store), "netns", hub,
      ])
      try Shell.run(["ip", "-n", hub, "link", "set", hubLink(store), "master", bridge, "up"])
      try Shell.run(
        ["ip", "-n", space, "addr", "add", "\(address(store))/24", "dev", storeLink(store)])
      try Shell.run(["ip", "-n", space, "link", "set", storeLink(store), "up"])
    }
  }

  /// The command that runs `binary` inside store `store`'s namespace (`ip netns exec` execs
  /// it in place: the process id is the server's, so signals reach it).
  func command(for store: Int, binary: String) throws -> (executable: String, prefix: [String]) {
    guard let ip = Shell.find("ip") else { throw TestFailure("ip not found") }
    return (ip, ["netns", "exec", namespace(store), binary])
  }

  /// Kills what still runs in the namespaces, deletes them (and with them every link and
  /// rule) and the root's end of the hub's veth pair. Safe to call twice.
  func remove() {
    for space in (0..<stores).map(namespace) + [hub] { Self.delete(namespace: space) }
    Shell.attempt(["ip", "link", "del", rootLink])
  }

  // MARK: Names and leftovers

  /// A fresh run id: the prefix, this process's id and a random byte, in hex.
  static func newID() -> String {
    prefix + String(format: "%06x%02x", getpid(), Int.random(in: 0...255))
  }

  /// Deletes the namespaces and root links named by runs whose process is gone.
  static func removeStale() {
    let namespaces = ((try? Shell.run(["ip", "netns", "list"])) ?? "").split(separator: "\n")
      .compactMap { $0.split(separator: " ").first.map(String.init) }
    for space in namespaces where isStale(space) { delete(namespace: space) }
    // `ip -o link` lines read `7: name@peer: <...>` (or `name:` without a peer).
    let links = ((try? Shell.run(["ip", "-o", "link", "show"])) ?? "").split(separator: "\n")
      .compactMap { $0.split(separator: " ").dropFirst().first?.split(separator: "@").first }
      .map { String($0.hasSuffix(":") ? $0.dropLast() : $0) }
    for link in links where isStale(link) { Shell.attempt(["ip", "link", "del", link]) }
  }

  /// Whether `name` is one of ours from a test process that no longer runs.
  private static func isStale(_ name: String) -> Bool {
    guard name.hasPrefix(prefix),
      let pid = Int32(name.dropFirst(prefix.count).prefix(6), radix: 16), pid != getpid()
    else { return false }
    return kill(pid, 0) != 0 && errno == ESRCH
  }

  private static func delete(namespace: String) {
    let pids = ((try? Shell.run(["ip", "netns", "pids", namespace])) ?? "").split(separator: "\n")
    for pid in pids.compactMap({ Int32($0) }) { kill(pid, SIGKILL) }
    Shell.attempt(["ip", "netns", "del", namespace])
  }
}
