import Foundation
import TipbProto

/// What a column ANALYZE gathers about one column over a region (TinySQL's
/// `statistics.SampleCollector`, as a store fills it): the NULLs, the other values' count and
/// total size, a reservoir sample of them, their FM sketch and, when asked, their CM sketch.
///
/// Values arrive value-encoded (`DatumCodec`'s value form); the single byte 0 (the NULL flag)
/// is NULL. Of each other value: the FM sketch counts it as a bytes datum (TinySQL's
/// `InsertValue` of the encoded value), the CM sketch counts its encoded bytes, and the total
/// size grows by its encoded length less the flag byte.
public struct SampleCollector: Sendable, Equatable {
  /// The most samples kept.
  public let maxSampleSize: Int
  /// The values kept, value-encoded, in the order the reservoir keeps them.
  public private(set) var samples: [[UInt8]] = []
  public private(set) var nullCount: Int64 = 0
  /// The values that are not NULL.
  public private(set) var count: Int64 = 0
  /// The sum of the values' encoded sizes without their flag bytes.
  public private(set) var totalSize: Int64 = 0
  public private(set) var fmSketch: FMSketch
  public private(set) var cmSketch: CMSketch?

  /// An empty collector keeping up to `maxSampleSize` samples (not negative), with an FM sketch
  /// of `fmSketchSize` and, if given, a CM sketch.
  public init(maxSampleSize: Int, fmSketchSize: Int, cmSketch: CMSketch?) {
    precondition(maxSampleSize >= 0, "a sample of \(maxSampleSize) values")
    self.maxSampleSize = maxSampleSize
    fmSketch = FMSketch(maxSize: fmSketchSize)
    self.cmSketch = cmSketch
  }

  /// Collects one value-encoded value, drawing from `random` for the reservoir.
  ///
  /// Reservoir sampling as TinySQL's `collect`: the first `maxSampleSize` values are kept; the
  /// n-th after them replaces a random sample with probability `maxSampleSize / n`, the replaced
  /// one removed and the new one appended, so the samples keep their arrival order.
  public mutating func collect(_ value: [UInt8], using random: inout some RandomNumberGenerator) {
    guard value != [DatumCodec.Flag.null.rawValue] else {
      nullCount += 1
      return
    }
    count += 1
    fmSketch.insert(.bytes(value))
    cmSketch?.insert(value)
    totalSize += Int64(value.count - 1)
    if samples.count < maxSampleSize {
      samples.append(value)
    } else if Int64.random(in: 0..<count, using: &random) < Int64(maxSampleSize) {
      samples.remove(at: Int.random(in: 0..<maxSampleSize, using: &random))
      samples.append(value)
    }
  }

  /// The collector as `SampleCollectorToProto` writes it.
  public var proto: Tipb_SampleCollector {
    var pb = Tipb_SampleCollector()
    pb.samples = samples.map { Data($0) }
    pb.nullCount = nullCount
    pb.count = count
    pb.fmSketch = fmSketch.proto
    if let cmSketch { pb.cmSketch = cmSketch.proto }
    pb.totalSize = totalSize
    return pb
  }
}
