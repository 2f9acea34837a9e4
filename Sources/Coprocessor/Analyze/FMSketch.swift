import TipbProto

/// A Flajolet-Martin sketch of a column's distinct values (TinySQL's `statistics.FMSketch`).
///
/// It keeps the hashes whose low bits under `mask` are all zero. When it holds more than
/// `maxSize`, the mask takes one more bit and the hashes that no longer fit are dropped, once per
/// insert (so the set may stay above `maxSize` until later inserts, as in TinySQL). Each kept
/// hash stands for `mask + 1` distinct values. The client merges the sketches of every region,
/// so values hash as TinySQL's `InsertValue` hashes them: the datum in value form, then the
/// first half of its MurmurHash3 x64_128.
public struct FMSketch: Sendable, Equatable {
  /// The most hashes kept before the mask grows.
  public let maxSize: Int
  /// The low bits a kept hash has all zero.
  public private(set) var mask: UInt64 = 0
  private var hashes: Set<UInt64> = []

  /// An empty sketch that keeps about `maxSize` hashes; `maxSize` must not be negative.
  public init(maxSize: Int) {
    precondition(maxSize >= 0, "an FM sketch of size \(maxSize)")
    self.maxSize = maxSize
  }

  /// Counts `value`.
  public mutating func insert(_ value: Datum) {
    var bytes: [UInt8] = []
    DatumCodec.append(value, as: .value, to: &bytes)
    insert(hash: MurmurHash3.x64_128(bytes).h1)
  }

  /// Counts a value whose hash is `hash`.
  mutating func insert(hash: UInt64) {
    guard hash & mask == 0 else { return }
    hashes.insert(hash)
    if hashes.count > maxSize {
      mask = mask &* 2 &+ 1
      hashes = hashes.filter { $0 & mask == 0 }
    }
  }

  /// The estimated number of distinct values: `(mask + 1)` times the hashes kept, in Go's
  /// wrapping `int64` arithmetic.
  public var distinctValues: Int64 {
    Int64(bitPattern: mask &+ 1) &* Int64(hashes.count)
  }

  /// The sketch as `FMSketchToProto` writes it; the hashes ascending (Go's map order is random,
  /// and the client reads them into a set).
  public var proto: Tipb_FMSketch {
    var pb = Tipb_FMSketch()
    pb.mask = mask
    pb.hashset = hashes.sorted()
    return pb
  }
}
