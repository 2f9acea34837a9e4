import TipbProto

/// A count-min sketch (TinySQL's `statistics.CMSketch`, as TiDB fills it): `depth` rows of
/// `width` counters. A value adds one to one counter per row: in row `i`, counter
/// `(h1 + h2 * i) mod width`, where `h1` and `h2` are the halves of the value's MurmurHash3
/// x64_128, all in 64-bit wrapping arithmetic. The client adds the counters of every region's
/// sketch together, so the placement must be exactly this.
public struct CMSketch: Sendable, Equatable {
  /// The counters, `depth` rows of `width`.
  public private(set) var rows: [[UInt32]]

  /// An empty sketch of `depth` rows of `width` counters; both must be positive.
  public init(depth: Int, width: Int) {
    precondition(depth > 0 && width > 0, "a CM sketch of \(depth) x \(width)")
    rows = Array(repeating: Array(repeating: 0, count: width), count: depth)
  }

  /// Counts one occurrence of `bytes`. A counter wraps past 2^32 - 1, as Go's `uint32` does.
  public mutating func insert(_ bytes: [UInt8]) {
    let hash = MurmurHash3.x64_128(bytes)
    for row in rows.indices { rows[row][column(in: row, of: hash)] &+= 1 }
  }

  /// An upper bound of how many times `bytes` was inserted: its smallest counter.
  public func estimate(_ bytes: [UInt8]) -> UInt32 {
    let hash = MurmurHash3.x64_128(bytes)
    return rows.indices.map { rows[$0][column(in: $0, of: hash)] }.min()!
  }

  /// Where a value with `hash` counts in `row`.
  private func column(in row: Int, of hash: (h1: UInt64, h2: UInt64)) -> Int {
    Int((hash.h1 &+ hash.h2 &* UInt64(row)) % UInt64(rows[row].count))
  }

  /// The sketch as `CMSketchToProto` writes it: the rows, no TopN, a default value of 0.
  public var proto: Tipb_CMSketch {
    var pb = Tipb_CMSketch()
    pb.rows = rows.map { counters in
      var row = Tipb_CMSketchRow()
      row.counters = counters
      return row
    }
    pb.defaultValue = 0
    return pb
  }
}
