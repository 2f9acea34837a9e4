import Foundation
import Randomness
import Testing
import Transaction

@testable import Client

@Suite("Routing keys of transactions")
struct MemcomparableRoutingTests {
  @Test("the client's region-space keys are the server's memcomparable encoding")
  func matchesServerEncoding() {
    let seed = UInt64.random(in: 0...UInt64.max)
    print("MemcomparableRoutingTests seed: \(seed)")
    var random = SplitMix64(seed: seed)
    for _ in 0..<500 {
      let count = Int.random(in: 0...40, using: &random)
      let key = Data((0..<count).map { _ in UInt8.random(in: 0...255, using: &random) })
      #expect(key.memcomparable == Memcomparable.encode(key), "seed \(seed)")
      #expect(key.memcomparable.userKeyAtBoundary == key, "seed \(seed)")
    }
  }

  @Test("a boundary that is not a whole encoding gives the bytes its groups hold")
  func rawBoundary() {
    #expect(Data("g".utf8).userKeyAtBoundary == Data("g".utf8))
    let boundary = Data("abcdefgh".utf8) + [0xFF] + Data("ij".utf8)
    #expect(boundary.userKeyAtBoundary == Data("abcdefghij".utf8))
  }
}
