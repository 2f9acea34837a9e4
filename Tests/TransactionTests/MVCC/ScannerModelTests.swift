import Foundation
import Randomness
import Testing
import TinyKVProto

@testable import Transaction

/// The forward scanner against a model: for every key, what a point read at the same timestamp
/// sees (`MvccReader.lock` and `value`, which seek each key on their own). The histories give
/// keys up to eight versions (past the scanner's few steps before it seeks), versions newer
/// than the read, rollbacks and lock-only records between puts, and locks.
@Suite struct ScannerModelTests {
  @Test(arguments: [UInt64(0x5CA_0001), 0x5CA_0002, 0x5CA_0003, 0x5CA_0004])
  func forwardScanMatchesPointReads(seed: UInt64) async throws {
    var generator = SplitMix64(seed: seed)
    let store = try StoreFixture()
    var keys: Set<Data> = []
    for _ in 0..<60 {
      let count = Int.random(in: 0...3, using: &generator)
      keys.insert(Data((0..<count).map { _ in UInt8.random(in: 0...3, using: &generator) }))
    }
    var ts: UInt64 = 10
    for key in keys {
      for _ in 0..<Int.random(in: 1...8, using: &generator) {
        ts += 2
        switch Int.random(in: 0..<8, using: &generator) {
        case 0: try await store.putWrite(key, commitTS: ts + 1, .delete, startTS: ts)
        case 1: try await store.putWrite(key, commitTS: ts, .rollback, startTS: ts)
        case 2: try await store.putWrite(key, commitTS: ts + 1, .lock, startTS: ts)
        case 3 where Bool.random(using: &generator):
          try await store.putLock(key, primary: key, startTS: ts, kind: .put)
        default:
          try await store.putCommitted(key, startTS: ts, commitTS: ts + 1, key + [UInt8(ts % 256)])
        }
      }
    }
    let reader = try await store.reader()
    let sorted = keys.sorted { $0.lexicographicallyPrecedes($1) }
    for readTS in [15, ts / 3, ts / 2, ts * 2 / 3, ts + 10] {
      var expected: [ScanEntry] = []
      for key in sorted {
        if let lock = try reader.lock(key), lock.blocksRead(at: readTS) {
          expected.append(.locked(key: key, lock: lock))
        } else if let value = try reader.value(key, at: readTS) {
          expected.append(.value(key: key, value: value))
        }
      }
      for start in [Data(), sorted[sorted.count / 2]] {
        let wanted = expected.filter { !$0.key.lexicographicallyPrecedes(start) }
        var scanner = try Scanner(reader, from: start, at: readTS)
        #expect(
          try scanner.next(limit: .max) == wanted,
          "seed \(seed), read at \(readTS), from \(Array(start))")
        var keysOnly = try Scanner(reader, from: start, at: readTS, keyOnly: true)
        let withoutValues = wanted.map { entry -> ScanEntry in
          if case .value(let key, _) = entry { return .value(key: key, value: Data()) }
          return entry
        }
        #expect(
          try keysOnly.next(limit: .max) == withoutValues,
          "seed \(seed), key only, read at \(readTS), from \(Array(start))")
      }
    }
  }
}
