import Foundation
import TinyKVProto
import Randomness

@testable import Scheduler

/// Stores simulated in memory: they hold regions, heartbeat the scheduler each tick as region
/// leaders, and carry out the commands they get back as real stores would: after a delay,
/// sometimes not at all, refusing commands whose epoch is out of date, with added peers
/// catching up for a while before they count.
struct SimulatedStores {
  struct Region {
    var meta: Metapb_Region
    var leaderID: UInt64
    /// Peer id -> tick at which it has caught up.
    var catchingUp: [UInt64: Int] = [:]
    var sizeMiB: UInt64
  }

  struct Pending {
    var dueTick: Int
    var command: HeartbeatCommand
  }

  var regions: [UInt64: Region] = [:]
  var inFlight: [Pending] = []
  var random: SplitMix64
  var tick = 0
  /// Violations found while applying commands (a removed leader, a region below majority, ...).
  var violations: [String] = []
  var commandsApplied = 0
  var commandsDropped = 0

  init(seed: UInt64) { random = SplitMix64(seed: seed) }

  func info(_ region: Region) -> RegionInfo {
    let leader = region.meta.peers.first { $0.id == region.leaderID }
    return RegionInfo(
      meta: region.meta, leader: leader,
      pendingPeers: region.meta.peers.filter { region.catchingUp[$0.id] != nil },
      approximateSizeBytes: region.sizeMiB << 20)
  }

  /// One tick: peers catch up, due commands run, every leader heartbeats.
  mutating func step(cluster: Cluster, maxReplicas: Int) {
    tick += 1
    for id in regions.keys {
      regions[id]!.catchingUp = regions[id]!.catchingUp.filter { $0.value > tick }
    }
    let due = inFlight.filter { $0.dueTick <= tick }
    inFlight.removeAll { $0.dueTick <= tick }
    for pending in due { apply(pending.command) }
    for id in regions.keys.sorted() {
      guard let region = regions[id] else { continue }
      checkMajority(region)
      do {
        if let command = try cluster.regionHeartbeat(info(region)) {
          // Delayed by 0-3 ticks; one command in ten is lost.
          if random.next() % 10 == 0 {
            commandsDropped += 1
          } else {
            inFlight.append(Pending(dueTick: tick + Int(random.next() % 4), command: command))
          }
        }
      } catch {
        violations.append("tick \(tick): heartbeat of region \(id) refused: \(error)")
      }
    }
  }

  private mutating func apply(_ command: HeartbeatCommand) {
    guard var region = regions[command.regionID] else { return }
    // A real store proposes the change with the epoch it was given; a stale one is refused.
    guard command.epoch == region.meta.regionEpoch, command.targetPeer.id == region.leaderID else {
      return
    }
    switch command.action {
    case .addPeer(let peer):
      guard !region.meta.peers.contains(where: { $0.storeID == peer.storeID }) else { return }
      region.meta.peers.append(peer)
      region.meta.regionEpoch.confVer += 1
      region.catchingUp[peer.id] = tick + 1 + Int(random.next() % 3)
    case .removePeer(let peer):
      guard region.meta.peers.contains(peer) else { return }
      if peer.id == region.leaderID {
        violations.append("tick \(tick): region \(region.meta.id) told to remove its leader")
        return
      }
      region.meta.peers.removeAll { $0 == peer }
      region.catchingUp[peer.id] = nil
      region.meta.regionEpoch.confVer += 1
    case .transferLeader(let peer):
      guard region.meta.peers.contains(peer), region.catchingUp[peer.id] == nil else { return }
      region.leaderID = peer.id
    }
    commandsApplied += 1
    regions[command.regionID] = region
    checkMajority(region)
  }

  /// Invariant: a region keeps a majority of its peers caught up (able to commit). The one
  /// exception is growing a single replica to two: without learners (TinyKV has none) the
  /// second voter counts before it has caught up, and no order of steps avoids that.
  private mutating func checkMajority(_ region: Region) {
    let total = region.meta.peers.count
    let live = total - region.catchingUp.count
    if live < total / 2 + 1 && !(total == 2 && live == 1) {
      violations.append(
        "tick \(tick): region \(region.meta.id) has \(live) caught-up peers of \(total)")
    }
  }

  /// Operators undone by their opposite: a region moved from store a to b and later from b
  /// back to a, or leadership handed from a to b and later straight back.
  static func pingPongs(_ operators: [Operator]) -> [String] {
    var moves: [UInt64: [(from: UInt64, to: UInt64, leader: Bool)]] = [:]
    var found: [String] = []
    for op in operators where op.status == .success {
      var from: UInt64?
      var to: UInt64?
      var leaderOnly = true
      for step in op.steps {
        switch step {
        case .addPeer(let store, _):
          to = store
          leaderOnly = false
        case .removePeer(let store):
          from = store
          leaderOnly = false
        case .transferLeader(let a, let b) where leaderOnly:
          from = a
          to = b
        default: break
        }
      }
      guard let from, let to else { continue }
      let earlier = moves[op.regionID, default: []]
      if let last = earlier.last(where: { $0.leader == leaderOnly }), last.from == to,
        last.to == from
      {
        found.append(
          "region \(op.regionID): \(op.kind.rawValue) \(from)->\(to) undoes \(to)->\(from)")
      }
      moves[op.regionID, default: []].append((from, to, leaderOnly))
    }
    return found
  }
}
