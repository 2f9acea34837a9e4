/// A fixed-size set of small integers, one bit each: the operations already linearized.
struct Bitset: Hashable {
  private var words: [UInt64]

  /// Creates an empty set able to hold `0..<capacity`.
  init(capacity: Int) { words = Array(repeating: 0, count: (capacity + 63) / 64) }

  /// Adds `index`.
  mutating func insert(_ index: Int) { words[index >> 6] |= 1 << UInt64(index & 63) }

  /// Removes `index`.
  mutating func remove(_ index: Int) { words[index >> 6] &= ~(1 << UInt64(index & 63)) }
}
