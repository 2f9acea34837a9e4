import Foundation
import TipbProto

/// An equal-depth histogram built from values in ascending order (TinySQL's
/// `statistics.SortedBuilder`), over encoded values compared as bytes: an index's values, or a
/// table's handles.
///
/// Each bucket holds the values from its lower to its upper bound; `count` is the number of
/// values up to and including its own (cumulative), `repeats` how many equal its upper bound. A
/// value never spans two buckets. A bucket takes values until it holds `valuesPerBucket`
/// (1 at first); when the last of `maxBuckets` is full, neighbouring buckets merge in pairs and
/// `valuesPerBucket` doubles. The client merges the histograms of every region with TinySQL's
/// rules, which expect these.
public struct Histogram: Sendable, Equatable {
  /// One bucket, as `tipb.Bucket` carries it.
  public struct Bucket: Sendable, Equatable {
    /// The values in this bucket and all before it.
    public var count: Int64
    public var lowerBound: [UInt8]
    public var upperBound: [UInt8]
    /// How many values equal `upperBound`.
    public var repeats: Int64

    /// A bucket with the given fields.
    public init(count: Int64, lowerBound: [UInt8], upperBound: [UInt8], repeats: Int64) {
      self.count = count
      self.lowerBound = lowerBound
      self.upperBound = upperBound
      self.repeats = repeats
    }
  }

  /// The most buckets.
  public let maxBuckets: Int
  public private(set) var buckets: [Bucket] = []
  /// The number of distinct values.
  public private(set) var distinctValues: Int64 = 0
  private var valuesPerBucket: Int64 = 1
  /// The count of the buckets before the last one.
  private var countBefore: Int64 = 0

  /// An empty histogram of at most `maxBuckets` buckets (at least 1).
  public init(maxBuckets: Int) {
    precondition(maxBuckets > 0, "a histogram of \(maxBuckets) buckets")
    self.maxBuckets = maxBuckets
  }

  /// Adds `value`, which is not below any value added before.
  public mutating func append(_ value: [UInt8]) {
    guard let last = buckets.indices.last else {
      buckets = [Bucket(count: 1, lowerBound: value, upperBound: value, repeats: 1)]
      distinctValues = 1
      return
    }
    if buckets[last].upperBound == value {
      buckets[last].count += 1
      buckets[last].repeats += 1
      return
    }
    distinctValues += 1
    if !hasRoom, buckets.count == maxBuckets { mergePairs() }
    let index = buckets.count - 1
    if hasRoom {
      buckets[index].upperBound = value
      buckets[index].count += 1
      buckets[index].repeats = 1
    } else {
      countBefore = buckets[index].count
      buckets.append(
        Bucket(count: countBefore + 1, lowerBound: value, upperBound: value, repeats: 1))
    }
  }

  /// Whether the last bucket takes one more value.
  private var hasRoom: Bool {
    buckets[buckets.count - 1].count + 1 - countBefore <= valuesPerBucket
  }

  /// Merges buckets 0 and 1, 2 and 3, ...; an odd last one stays as it is. Then each bucket may
  /// hold twice as many values.
  private mutating func mergePairs() {
    buckets = stride(from: 0, to: buckets.count, by: 2).map { first in
      guard first + 1 < buckets.count else { return buckets[first] }
      var merged = buckets[first + 1]
      merged.lowerBound = buckets[first].lowerBound
      return merged
    }
    valuesPerBucket *= 2
    countBefore = buckets.count > 1 ? buckets[buckets.count - 2].count : 0
  }

  /// The histogram as `HistogramToProto` writes it.
  public var proto: Tipb_Histogram {
    var pb = Tipb_Histogram()
    pb.ndv = distinctValues
    pb.buckets = buckets.map { bucket in
      var pb = Tipb_Bucket()
      pb.count = bucket.count
      pb.lowerBound = Data(bucket.lowerBound)
      pb.upperBound = Data(bucket.upperBound)
      pb.repeats = bucket.repeats
      return pb
    }
    return pb
  }
}
