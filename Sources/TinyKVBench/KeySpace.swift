import Foundation
import Randomness

/// The benchmark's keys and values: key `i` is `"k"` and `i` in decimal, zero-padded to the key
/// size, so keys sort in index order.
struct KeySpace: Sendable {
  let count: Int
  let keySize: Int
  let valueSize: Int

  func key(_ index: Int) -> Data {
    let digits = String(index)
    let padding = max(0, keySize - 1 - digits.count)
    return Data(("k" + String(repeating: "0", count: padding) + digits).utf8)
  }

  /// A value of `valueSize` bytes drawn from `random`.
  func value(_ random: inout SplitMix64) -> Data {
    var bytes = Data(count: valueSize)
    bytes.withUnsafeMutableBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        var word = random.next()
        let n = min(8, buffer.count - offset)
        withUnsafeBytes(of: &word) { buffer[offset..<offset + n].copyBytes(from: $0.prefix(n)) }
        offset += n
      }
    }
    return bytes
  }

  /// A key index drawn uniformly.
  func randomIndex(_ random: inout SplitMix64) -> Int { Int(random.next() % UInt64(count)) }
}
