import TipbProto

extension Analyze {
  /// An index ANALYZE over `source`'s index entries: each entry's first `num_columns` values, as
  /// the key holds them, one after another (without the handle), go into a histogram of
  /// `bucket_size` buckets; when asked, every prefix of them (the first value, the first two,
  /// ...) goes into a CM sketch, so the client can estimate equality on the index's leading
  /// columns too (TinySQL's `mocktikv`, as TiKV).
  static func index<Source: KeyValueSource>(
    _ request: Tipb_AnalyzeIndexReq, source: inout Source
  ) throws(CoprocessorError) -> Tipb_AnalyzeIndexResp {
    var histogram = Histogram(maxBuckets: try maxBuckets(request.bucketSize))
    guard request.numColumns > 0 else {
      throw CoprocessorError("num_columns must be positive, not \(request.numColumns)")
    }
    var sketch = try cmSketch(
      depth: request.hasCmsketchDepth ? request.cmsketchDepth : nil,
      width: request.hasCmsketchWidth ? request.cmsketchWidth : nil)
    while let (key, _) = try source.next() {
      let values: [ArraySlice<UInt8>]
      do {
        values = try TableKeys.indexedValues(key, count: Int(request.numColumns))
      } catch {
        throw CoprocessorError("an index key that does not decode: \(error)")
      }
      var prefix: [UInt8] = []
      for value in values {
        prefix += value
        sketch?.insert(prefix)
      }
      histogram.append(prefix)
    }
    var response = Tipb_AnalyzeIndexResp()
    response.hist = histogram.proto
    if let sketch { response.cms = sketch.proto }
    return response
  }
}
