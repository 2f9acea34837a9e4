import Foundation
import Randomness

/// YCSB's key choice: item indexes 0 ..< `count`, drawn from a Zipfian distribution (Gray et
/// al., "Quickly generating billion-record synthetic databases", as YCSB's
/// `ZipfianGenerator`) and then scattered over the key space by a hash (YCSB's
/// `ScrambledZipfianGenerator`), so that the popular items are not neighbours.
struct Zipfian: Sendable {
  let count: Int
  /// The skew: YCSB's `zipfianconstant`, 0.99 by default.
  let theta: Double
  private let zetaN: Double
  private let alpha: Double
  private let eta: Double
  private let halfPowTheta: Double

  /// Precomputes the constants; costs `count` calls of `pow`.
  init(count: Int, theta: Double = 0.99) {
    precondition(count > 0 && theta > 0 && theta < 1)
    self.count = count
    self.theta = theta
    let zeta = { (n: Int) in (1...n).reduce(0.0) { $0 + 1 / pow(Double($1), theta) } }
    zetaN = zeta(count)
    alpha = 1 / (1 - theta)
    halfPowTheta = pow(0.5, theta)
    let zeta2 = 1 + halfPowTheta
    eta =
      count < 2 ? 0 : (1 - pow(2 / Double(count), 1 - theta)) / (1 - zeta2 / zetaN)
  }

  /// The next rank: 0 is the most popular item, 1 the next, and so on.
  func rank(_ random: inout SplitMix64) -> Int {
    let u = Double(random.next() >> 11) * 0x1p-53
    let uz = u * zetaN
    if uz < 1 { return 0 }
    if uz < 1 + halfPowTheta { return min(1, count - 1) }
    return min(count - 1, Int(Double(count) * pow(eta * u - eta + 1, alpha)))
  }

  /// The next item index, the ranks scattered by FNV-1a.
  func index(_ random: inout SplitMix64) -> Int {
    Int(Self.fnv1a(UInt64(rank(&random))) % UInt64(count))
  }

  /// FNV-1a over the 8 bytes of `value`, as YCSB's `Utils.fnvhash64`.
  static func fnv1a(_ value: UInt64) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    var rest = value
    for _ in 0..<8 {
      hash ^= rest & 0xFF
      hash &*= 0x0000_0100_0000_01B3
      rest >>= 8
    }
    return hash
  }
}
