import Foundation
import SwiftProtobuf
import TipbProto

/// ANALYZE (`Request.tp` 104): the statistics TinySQL's `ANALYZE TABLE` gathers from each region,
/// which the client merges into the table's histograms and sketches.
///
/// - An index request (`tp` `TypeIndex`, `idx_req`) reads index entries: a histogram of their
///   indexed values and, when asked, a CM sketch of them (`AnalyzeIndexResp`).
/// - A column request (`tp` `TypeColumn`, `col_req`) reads rows: a `SampleCollector` per column
///   and, when the first column is the integer primary key, a histogram of the handles
///   (`AnalyzeColumnsResp`).
///
/// The statistics are built as TinySQL's own store (`mocktikv`) builds them, down to the hashes
/// and encodings, because the client merges them with its Go code.
public enum Analyze {
  /// The most counters a CM sketch may have (64 MiB of them); TinySQL asks for 5 x 2048.
  static let maxSketchCounters = 1 << 24

  /// Runs `request` over `source`'s pairs (index entries or rows, in key order).
  /// - Parameter seed: the reservoir sampling's seed: equal seeds over equal pairs give equal
  ///   samples.
  /// - Returns: the serialized `AnalyzeIndexResp` or `AnalyzeColumnsResp`.
  /// - Throws: `CoprocessorError` for a request without the part its type needs, a negative or
  ///   zero size where one is needed, a CM sketch too large, a pair that does not decode; or the
  ///   source's error (a lock).
  public static func run<Source: KeyValueSource>(
    _ request: Tipb_AnalyzeReq, source: inout Source, seed: UInt64
  ) throws(CoprocessorError) -> Data {
    switch request.tp {
    case .typeIndex:
      guard request.hasIdxReq else { throw CoprocessorError("an index ANALYZE without idx_req") }
      return try serialized(try index(request.idxReq, source: &source))
    case .typeColumn:
      guard request.hasColReq else { throw CoprocessorError("a column ANALYZE without col_req") }
      return try serialized(try columns(request.colReq, source: &source, seed: seed))
    }
  }

  private static func serialized(_ response: some SwiftProtobuf.Message) throws(CoprocessorError)
    -> Data
  {
    do {
      return try response.serializedData()
    } catch {
      throw CoprocessorError("the ANALYZE response does not encode: \(error)")
    }
  }

  /// The histogram's most buckets, `bucket_size`, which must be positive.
  static func maxBuckets(_ bucketSize: Int64) throws(CoprocessorError) -> Int {
    guard bucketSize > 0 else {
      throw CoprocessorError("bucket_size must be positive, not \(bucketSize)")
    }
    return Int(bucketSize)
  }

  /// The CM sketch a request asks for: none unless both dimensions are set and positive (as
  /// TinySQL builds it); a negative dimension, or more than `maxSketchCounters` counters, is
  /// refused.
  static func cmSketch(depth: Int32?, width: Int32?) throws(CoprocessorError) -> CMSketch? {
    guard let depth, let width else { return nil }
    guard depth >= 0, width >= 0 else {
      throw CoprocessorError("a CM sketch of \(depth) x \(width): its sizes must not be negative")
    }
    guard depth > 0, width > 0 else { return nil }
    guard Int(depth) * Int(width) <= maxSketchCounters else {
      throw CoprocessorError(
        "a CM sketch of \(depth) x \(width) is over \(maxSketchCounters) counters")
    }
    return CMSketch(depth: Int(depth), width: Int(width))
  }
}
