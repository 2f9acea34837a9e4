/// A fixed-size set of small integers, one bit each: the operations already linearized.
///
/// It hashes in constant time, whatever its size: the search hashes one set per step, and a
/// partition of thousands of operations has sets of hundreds of words.
struct Bitset: Hashable {
  private var words: [UInt64]
  /// The XOR of a mix of each member, kept up to date by ``insert(_:)`` and ``remove(_:)``.
  private var fingerprint: UInt64 = 0

  /// Creates an empty set able to hold `0..<capacity`.
  init(capacity: Int) { words = Array(repeating: 0, count: (capacity + 63) / 64) }

  /// Adds `index`.
  mutating func insert(_ index: Int) {
    let bit: UInt64 = 1 << UInt64(index & 63)
    guard words[index >> 6] & bit == 0 else { return }
    words[index >> 6] |= bit
    fingerprint ^= Self.mix(index)
  }

  /// Removes `index`.
  mutating func remove(_ index: Int) {
    let bit: UInt64 = 1 << UInt64(index & 63)
    guard words[index >> 6] & bit != 0 else { return }
    words[index >> 6] &= ~bit
    fingerprint ^= Self.mix(index)
  }

  func hash(into hasher: inout Hasher) { hasher.combine(fingerprint) }

  /// SplitMix64's finalizer: spreads consecutive indices over all 64 bits.
  private static func mix(_ index: Int) -> UInt64 {
    var z = UInt64(index) &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
