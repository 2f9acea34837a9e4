// raft-bench: an in-memory 3-node Raft group driven through RawNode.
//
// Usage: raft-bench [single|batch|many|all] [entries] [batch-size]
//   single  one 100-byte proposal at a time, each committed before the next
//   batch   `batch-size` proposals (default 256) in one `propose(contentsOf:)`, then the
//           Ready cycles that commit them
//   many    `batch-size` separate `propose(_:)` calls per round, then the Ready cycles
// Prints committed entries per second (entries applied on the leader).

import Foundation
import Raft
import TinyKVProto

struct Cluster {
  var nodes: [RawNode<MemoryStorage>] = []
  var storages: [MemoryStorage] = []
  var inboxes: [[Eraftpb_Message]] = [[], [], []]
  var appliedOnLeader = 0
  var compactEvery: UInt64 = 20_000
  var compacted: [UInt64] = [0, 0, 0]

  init() throws {
    for id in UInt64(1)...3 {
      let storage = MemoryStorage(peers: [1, 2, 3])
      storages.append(storage)
      nodes.append(
        try RawNode(
          config: RaftConfig(
            id: id, electionTick: 10, heartbeatTick: 1, storage: storage,
            maxInflightMsgs: 256, maxSizePerMsg: 1 << 20)))
    }
    try nodes[0].campaign()
    pump()
    precondition(nodes[0].role == .leader, "node 1 did not become leader")
  }

  /// Runs Ready cycles and message delivery until the group is quiet.
  mutating func pump() {
    var busy = true
    while busy {
      busy = false
      for i in 0..<3 where nodes[i].hasReady {
        busy = true
        let rd = nodes[i].ready()
        let storage = storages[i]
        do {
          try storage.append(rd.entries)
        } catch {
          fatalError("append failed: \(error)")
        }
        if let hs = rd.hardState { storage.setHardState(hs) }
        for m in rd.messages { inboxes[Int(m.to) - 1].append(m) }
        if i == 0 { appliedOnLeader += rd.committedEntries.count }
        // Keep memory bounded, as log GC would.
        if let last = rd.committedEntries.last, last.index - compacted[i] > compactEvery {
          try? storage.compact(last.index - 1000)
          compacted[i] = last.index - 1000
        }
        nodes[i].advance(rd)
      }
      for i in 0..<3 where !inboxes[i].isEmpty {
        busy = true
        var inbox: [Eraftpb_Message] = []
        swap(&inbox, &inboxes[i])
        for m in inbox { try? nodes[i].step(m) }
      }
    }
  }
}

func run(mode: String, entries: Int, batchSize: Int) throws {
  var cluster = try Cluster()
  let payload = Data(repeating: 0x61, count: 100)
  let start0 = cluster.appliedOnLeader
  let begin = DispatchTime.now().uptimeNanoseconds
  var proposed = 0
  let batch = [Data](repeating: payload, count: batchSize)
  while proposed < entries {
    let n = mode == "single" ? 1 : min(batchSize, entries - proposed)
    if mode == "batch" {
      try cluster.nodes[0].propose(contentsOf: n == batchSize ? batch : Array(batch[..<n]))
    } else {
      for _ in 0..<n { try cluster.nodes[0].propose(payload) }
    }
    proposed += n
    cluster.pump()
  }
  let elapsed = Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e9
  let committed = cluster.appliedOnLeader - start0
  precondition(committed == entries, "committed \(committed) of \(entries)")
  let label = mode == "single" ? "single" : "\(mode) \(batchSize)"
  print(
    "\(label): \(committed) entries in \(String(format: "%.3f", elapsed)) s = "
      + "\(Int(Double(committed) / elapsed)) committed entries/s")
}

let args = CommandLine.arguments.dropFirst()
let mode = args.first ?? "all"
let entries = args.dropFirst().first.flatMap { Int($0) }
let batchSize = args.dropFirst(2).first.flatMap { Int($0) } ?? 256

do {
  switch mode {
  case "single":
    try run(mode: "single", entries: entries ?? 100_000, batchSize: 1)
  case "batch", "many":
    try run(mode: mode, entries: entries ?? 1_000_000, batchSize: batchSize)
  default:
    try run(mode: "single", entries: entries ?? 100_000, batchSize: 1)
    for size in [16, 64, 256, 1024] {
      try run(mode: "batch", entries: entries ?? 1_000_000, batchSize: size)
    }
    for size in [64, 256] {
      try run(mode: "many", entries: entries ?? 1_000_000, batchSize: size)
    }
  }
} catch {
  print("raft-bench failed: \(error)")
  exit(1)
}
