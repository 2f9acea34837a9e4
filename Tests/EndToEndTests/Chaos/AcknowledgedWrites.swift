import Client
import Foundation
import Linearizability
import Synchronization

/// Writers that each put distinct keys once (`ack-<client>-<n>`, 100-byte values) and remember
/// the acknowledged ones: after the faults every one of them must read back with its value.
final class AcknowledgedWrites: Sendable {
  let history = History<KVInput, String>()
  private let stopped = Atomic<Bool>(false)
  private let acknowledged = Mutex<[String: String]>([:])
  private let unknown = Atomic<Int>(0)

  var acknowledgedCount: Int { acknowledged.withLock { $0.count } }
  var unknownCount: Int { unknown.load(ordering: .relaxed) }

  /// Runs `writers` clients until ``stop()``.
  func run(_ kv: ClusterRawClient, writers: Int) async {
    await withTaskGroup(of: Void.self) { group in
      for client in 0..<writers {
        group.addTask {
          var count = 0
          while !self.stopped.load(ordering: .relaxed) {
            count += 1
            let key = String(format: "ack-%02d-%06d", client, count)
            let value = "w\(client)-\(count)-" + String(repeating: "v", count: 90)
            let id = self.history.invoke(client: client, .put(key: key, value: value))
            do {
              try await kv.put(Data(key.utf8), Data(value.utf8))
              self.history.complete(id, .ok(""))
              self.acknowledged.withLock { $0[key] = value }
            } catch {
              self.history.complete(id, .unknown)
              self.unknown.add(1, ordering: .relaxed)
            }
          }
        }
      }
    }
  }

  func stop() { stopped.store(true, ordering: .relaxed) }

  /// Reads back every acknowledged key (one scan across the regions, then a get of each key
  /// the scan missed or saw with another value, recorded in the history); returns the keys
  /// lost or changed.
  func lostWrites(_ kv: ClusterRawClient) async throws -> [String] {
    let expected = acknowledged.withLock { $0 }
    let pairs = try await kv.scan(
      from: Data("ack-".utf8), to: Data("ack.".utf8), limit: UInt32(expected.count * 2 + 1000))
    var found: [String: String] = [:]
    for pair in pairs {
      found[String(decoding: pair.key, as: UTF8.self)] = String(decoding: pair.value, as: UTF8.self)
    }
    var lost: [String] = []
    for (key, value) in expected.sorted(by: { $0.key < $1.key }) where found[key] != value {
      let id = history.invoke(client: 99, .get(key: key))
      let read = try await kv.get(Data(key.utf8)).map { String(decoding: $0, as: UTF8.self) }
      history.complete(id, .ok(read ?? ""))
      if read != value { lost.append(key) }
    }
    return lost
  }
}
