import Client
import Foundation
import Testing

@Suite("Scans across regions")
struct ClusterScanTests {
  static let keys = ["a", "b", "c", "h", "i", "j", "p", "q", "r"]

  /// Runs `body` with a client of a fake cluster holding `keys` (three in each region).
  func withFilledCluster(_ body: (ClusterRawClient) async throws -> Void) async throws {
    try await FakeCluster.run { cluster in
      try await ClusterRawClient.connect(directory: cluster.directory, options: .fast) { kv in
        for key in Self.keys { try await kv.put(bytes(key), bytes("v-" + key)) }
        try await body(kv)
      }
    }
  }

  @Test("a scan from the start returns every key of the three regions in order")
  func scansAllRegionsInOrder() async throws {
    try await withFilledCluster { kv in
      let pairs = try await kv.scan(from: Data(), limit: 100)
      #expect(pairs.map(\.key) == Self.keys.map(bytes))
      #expect(pairs.map(\.value) == Self.keys.map { bytes("v-" + $0) })
    }
  }

  @Test(
    "a scan stops at its limit and before its end key",
    arguments: [
      ("", "", 4, ["a", "b", "c", "h"]),
      ("b", "q", 100, ["b", "c", "h", "i", "j", "p"]),
      ("i", "", 2, ["i", "j"]),
      ("d", "g", 10, []),
      ("k", "", 3, ["p", "q", "r"]),
      ("", "", 0, []),
    ])
  func respectsLimitAndEnd(start: String, end: String, limit: Int, expected: [String])
    async throws
  {
    try await withFilledCluster { kv in
      let pairs = try await kv.scan(from: bytes(start), to: bytes(end), limit: UInt32(limit))
      #expect(pairs.map(\.key) == expected.map(bytes))
    }
  }
}
