import Foundation
import TinyKVProto
import Randomness

@testable import Raft

/// A simulated network of raft cores for scenario tests: delivers messages until quiet,
/// and can drop, cut, isolate, ignore and recover links.
struct Network {
  /// How to fill a slot of a new network.
  enum PeerSpec {
    /// A fresh node with default configuration.
    case fresh
    /// A node that swallows every message.
    case blackHole
    /// A prepared node (its id must match its slot, 1-based).
    case raft(Core)
  }

  struct Link: Hashable {
    var from: UInt64
    var to: UInt64
  }

  var peers: [UInt64: Core] = [:]
  var blackHoles: Set<UInt64> = []
  var storage: [UInt64: MemoryStorage] = [:]
  var dropRates: [Link: Double] = [:]
  var ignored: Set<Int> = []
  /// A hook run on every message before delivery; return false to drop it.
  var intercept: ((Message) -> Bool)?
  var rng = SplitMix64(seed: 42)

  init(_ specs: [PeerSpec], options: TestOptions = TestOptions()) {
    let ids = (1...UInt64(specs.count)).map { $0 }
    for (i, spec) in specs.enumerated() {
      let id = ids[i]
      switch spec {
      case .fresh:
        let s = MemoryStorage()
        storage[id] = s
        peers[id] = newTestRaft(
          id, ids, election: options.electionTick, heartbeat: options.heartbeatTick,
          storage: s, options: options)
      case .blackHole:
        blackHoles.insert(id)
      case .raft(var r):
        precondition(r.id == id, "prepared node \(r.id) placed in slot \(id)")
        if r.tracker.ids != ids {
          // Join the prepared node to this network's membership.
          r.tracker = ProgressTracker(voters: ids, maxInflight: r.tracker.maxInflight)
          let last = r.log.lastIndex
          for peer in ids {
            r.tracker.progress[peer] = Progress(
              match: peer == id ? last : 0, next: last + 1, maxInflight: r.tracker.maxInflight)
          }
        }
        peers[id] = r
        storage[id] = r.log.storage
      }
    }
  }

  init(size: Int, options: TestOptions = TestOptions()) {
    self.init(Array(repeating: .fresh, count: size), options: options)
  }

  subscript(id: UInt64) -> Core {
    get { peers[id]! }
    set { peers[id] = newValue }
  }

  /// Delivers `messages` and everything they cause, until no message is left.
  mutating func send(_ messages: Message...) { send(messages) }

  mutating func send(_ messages: [Message]) {
    var queue = messages[...]
    while let m = queue.popFirst() {
      guard peers[m.to] != nil else { continue }
      try? peers[m.to]!.step(m)
      queue.append(contentsOf: filter(peers[m.to]!.readMessages()))
    }
  }

  mutating func drop(from: UInt64, to: UInt64, rate: Double) {
    dropRates[Link(from: from, to: to)] = rate
  }

  mutating func cut(_ one: UInt64, _ other: UInt64) {
    drop(from: one, to: other, rate: 2)
    drop(from: other, to: one, rate: 2)
  }

  mutating func isolate(_ id: UInt64) {
    let all = Set(peers.keys).union(blackHoles)
    for other in all where other != id {
      drop(from: id, to: other, rate: 1)
      drop(from: other, to: id, rate: 1)
    }
  }

  mutating func ignore(_ type: MessageType) { ignored.insert(type.rawValue) }

  mutating func recover() {
    dropRates.removeAll()
    ignored.removeAll()
  }

  mutating func filter(_ messages: [Message]) -> [Message] {
    messages.filter { m in
      if ignored.contains(m.msgType.rawValue) { return false }
      precondition(m.msgType != .msgHup, "hups never go over the network")
      if let rate = dropRates[Link(from: m.from, to: m.to)], rate > 0 {
        if rate >= 1 || Double.random(in: 0..<1, using: &rng) < rate { return false }
      }
      if let intercept, !intercept(m) { return false }
      return true
    }
  }
}
