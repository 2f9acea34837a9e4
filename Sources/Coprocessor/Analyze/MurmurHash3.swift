/// MurmurHash3 x64_128 (Austin Appleby's reference, `MurmurHash3_x64_128`), the hash TinySQL's
/// statistics use through Go's `github.com/spaolacci/murmur3`: the CM sketch places a value by
/// both halves of `murmur3.Sum128`, the FM sketch keeps the first half (`murmur3.New64`'s
/// `Sum64`). The client merges the sketches of every region, so the hashes must be these bit for
/// bit.
public enum MurmurHash3 {
  private static let c1: UInt64 = 0x87C3_7B91_1142_53D5
  private static let c2: UInt64 = 0x4CF5_AD43_2745_937F

  /// The 128-bit hash of `bytes` with `seed` (TinySQL: 0), as its two 64-bit halves: `h1` is
  /// what the reference writes first (little-endian) and Go's `Sum128` returns first.
  public static func x64_128(_ bytes: [UInt8], seed: UInt32 = 0) -> (h1: UInt64, h2: UInt64) {
    var h1 = UInt64(seed)
    var h2 = UInt64(seed)
    let blocks = bytes.count / 16
    bytes.withUnsafeBytes { raw in
      for block in 0..<blocks {
        let k1 = UInt64(
          littleEndian: raw.loadUnaligned(fromByteOffset: block * 16, as: UInt64.self))
        let k2 = UInt64(
          littleEndian: raw.loadUnaligned(fromByteOffset: block * 16 + 8, as: UInt64.self))
        h1 ^= mixK1(k1)
        h1 = rotate(h1, 27) &+ h2
        h1 = h1 &* 5 &+ 0x52DC_E729
        h2 ^= mixK2(k2)
        h2 = rotate(h2, 31) &+ h1
        h2 = h2 &* 5 &+ 0x3849_5AB5
      }
    }
    // The last 0 to 15 bytes: up to 8 into k1, the rest into k2, little-endian.
    let tail = bytes[(blocks * 16)...]
    var k1: UInt64 = 0
    var k2: UInt64 = 0
    for (offset, byte) in tail.enumerated() {
      if offset < 8 {
        k1 |= UInt64(byte) << (8 * UInt64(offset))
      } else {
        k2 |= UInt64(byte) << (8 * UInt64(offset - 8))
      }
    }
    if tail.count > 8 { h2 ^= mixK2(k2) }
    if !tail.isEmpty { h1 ^= mixK1(k1) }

    h1 ^= UInt64(bytes.count)
    h2 ^= UInt64(bytes.count)
    h1 &+= h2
    h2 &+= h1
    h1 = finalMix(h1)
    h2 = finalMix(h2)
    h1 &+= h2
    h2 &+= h1
    return (h1, h2)
  }

  private static func mixK1(_ k: UInt64) -> UInt64 { rotate(k &* c1, 31) &* c2 }

  private static func mixK2(_ k: UInt64) -> UInt64 { rotate(k &* c2, 33) &* c1 }

  private static func rotate(_ x: UInt64, _ r: UInt64) -> UInt64 { x << r | x >> (64 - r) }

  /// The reference's `fmix64`: every input bit affects every output bit.
  private static func finalMix(_ k: UInt64) -> UInt64 {
    var k = k
    k ^= k >> 33
    k &*= 0xFF51_AFD7_ED55_8CCD
    k ^= k >> 33
    k &*= 0xC4CE_B9FE_1A85_EC53
    k ^= k >> 33
    return k
  }
}
