import Client
import Foundation
import Linearizability
import Randomness
import Synchronization
import TestSupport
import Testing

/// Clients writing and reading a few keys concurrently, recording every operation in a history
/// for the linearizability checker. A write that fails has an unknown outcome (it may have been
/// applied); a read that fails is left out.
final class Workload: Sendable {
  let seed: UInt64
  let keys: [String]
  let history = History<KVInput, String>()
  private let acknowledged = Atomic<Int>(0)
  private let stopped = Atomic<Bool>(false)

  init(seed: UInt64, keys: [String]) {
    self.seed = seed
    self.keys = keys
  }

  /// Runs `writers` writing and `readers` reading clients until ``stop()``.
  func run(_ kv: ClusterRawClient, writers: Int, readers: Int) async {
    await withTaskGroup(of: Void.self) { group in
      for client in 0..<(writers + readers) {
        group.addTask {
          var random = SplitMix64(seed: self.seed &+ UInt64(client))
          var count = 0
          while !self.stopped.load(ordering: .relaxed) {
            let key = self.keys[Int(random.next() % UInt64(self.keys.count))]
            if client < writers {
              count += 1
              await self.write(key, "c\(client)-\(count)", kv, client: client)
            } else {
              try? await self.read(key, kv, client: client)
            }
          }
        }
      }
    }
  }

  func write(_ key: String, _ value: String, _ kv: ClusterRawClient, client: Int) async {
    let id = history.invoke(client: client, .put(key: key, value: value))
    do {
      try await kv.put(Data(key.utf8), Data(value.utf8))
      history.complete(id, .ok(""))
      acknowledged.add(1, ordering: .relaxed)
    } catch KVClientError.unroutable {
      // The client says no attempt can have been applied (docs/CLIENT.md, "Errors"): the
      // checker holds it to that.
      history.complete(id, .failed)
    } catch {
      history.complete(id, .unknown)
    }
  }

  func read(_ key: String, _ kv: ClusterRawClient, client: Int) async throws {
    let id = history.invoke(client: client, .get(key: key))
    do {
      let value = try await kv.get(Data(key.utf8))
      history.complete(id, .ok(value.map { String(decoding: $0, as: UTF8.self) } ?? ""))
    } catch {
      history.complete(id, .failed)
      throw error
    }
  }

  /// Waits until `count` more writes are acknowledged than now.
  func waitForAcknowledged(_ count: Int, _ phase: String) async throws {
    let target = acknowledged.load(ordering: .relaxed) + count
    try await eventually("\(count) acknowledged writes \(phase)", timeout: .seconds(20)) {
      acknowledged.load(ordering: .relaxed) >= target
    }
  }

  func stop() { stopped.store(true, ordering: .relaxed) }

  /// Writes of unknown outcome so far (failed writes that may have been applied).
  var unknownWrites: Int {
    history.records.filter {
      if case .unknown = $0.completion?.result { return true }
      return false
    }.count
  }

  var acknowledgedWrites: Int { acknowledged.load(ordering: .relaxed) }

  /// Checks the history: linearizable per key under the key-value model (every read returns
  /// the latest acknowledged write or one whose outcome is unknown; none is lost). A
  /// non-linearizable history is written to `<tmp>/<name>-<seed>.history.jsonl` and recorded as
  /// an issue; a check that ran out of budget too (the checker prunes unobserved writes of
  /// unknown outcome, so chaos histories check in seconds; docs/LINEARIZABILITY.md).
  @discardableResult
  func check(seed: UInt64, name: String = "cluster-replication") -> CheckResult {
    let operations = history.operations()
    print(
      "\(name): history of \(operations.count) operations, \(acknowledgedWrites) acknowledged "
        + "writes, \(unknownWrites) of unknown outcome")
    let verdict = LinearizabilityChecker(
      model: KVModel(), budget: CheckBudget(timeout: .seconds(30))
    ).check(operations)
    switch verdict {
    case .notLinearizable(let explanation):
      let file = FileManager.default.temporaryDirectory.appendingPathComponent(
        "\(name)-\(seed).history.jsonl")
      try? HistoryFile.write(history.records, to: file)
      Issue.record("seed \(seed): not linearizable (history in \(file.path))\n\(explanation)")
    case .unknown(let reason):
      Issue.record("seed \(seed): no verdict: \(reason)")
    case .linearizable:
      break
    }
    return verdict
  }
}
