/// CRC-32 (IEEE 802.3, as zlib's `crc32`) of snapshot files, computed incrementally.
package struct CRC32: Sendable {
  private static let table: [UInt32] = (0..<256).map { n in
    var c = UInt32(n)
    for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
  }

  private var state: UInt32 = 0xFFFF_FFFF

  /// An empty checksum.
  package init() {}

  /// Adds `bytes`.
  package mutating func update(_ bytes: some Sequence<UInt8>) {
    var c = state
    for byte in bytes { c = Self.table[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
    state = c
  }

  /// The checksum of everything added.
  package var value: UInt32 { state ^ 0xFFFF_FFFF }
}
