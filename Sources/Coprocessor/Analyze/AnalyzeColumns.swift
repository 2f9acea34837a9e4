import Randomness
import TipbProto

extension Analyze {
  /// A column ANALYZE over `source`'s rows: one `SampleCollector` per column of `columns_info`
  /// (samples of `sample_size`, an FM sketch of `sketch_size`, a CM sketch when asked), except
  /// that a first column that is the integer primary key (`pk_handle`) goes into a histogram of
  /// `bucket_size` buckets instead, its values the rows' handles in key order.
  /// - Parameter seed: the seed of the reservoir sampling, one generator for all columns.
  static func columns<Source: KeyValueSource>(
    _ request: Tipb_AnalyzeColumnsReq, source: inout Source, seed: UInt64
  ) throws(CoprocessorError) -> Tipb_AnalyzeColumnsResp {
    let maxBuckets = try maxBuckets(request.bucketSize)
    guard let first = request.columnsInfo.first else {
      throw CoprocessorError("a column ANALYZE without columns")
    }
    guard request.sampleSize >= 0, request.sketchSize >= 0 else {
      throw CoprocessorError(
        "sample_size (\(request.sampleSize)) and sketch_size (\(request.sketchSize)) must not "
          + "be negative")
    }
    let sketch = try cmSketch(
      depth: request.hasCmsketchDepth ? request.cmsketchDepth : nil,
      width: request.hasCmsketchWidth ? request.cmsketchWidth : nil)
    var handles = first.pkHandle ? Histogram(maxBuckets: maxBuckets) : nil
    let sampled = first.pkHandle ? request.columnsInfo.count - 1 : request.columnsInfo.count
    var collectors = Array(
      repeating: SampleCollector(
        maxSampleSize: Int(request.sampleSize), fmSketchSize: Int(request.sketchSize),
        cmSketch: sketch),
      count: sampled)
    var random = SplitMix64(seed: seed)
    while let (key, value) = try source.next() {
      var values: [[UInt8]] = []
      do {
        let handle = try TableKeys.decodeRecord(key).handle
        let row = try EncodedRow(decoding: value)
        for column in request.columnsInfo {
          values.append(try analyzedValue(of: column, in: row, handle: handle))
        }
      } catch {
        throw CoprocessorError("a row that does not decode: \(error)")
      }
      if handles != nil { handles!.append(values.removeFirst()) }
      for (index, value) in values.enumerated() {
        collectors[index].collect(value, using: &random)
      }
    }
    var response = Tipb_AnalyzeColumnsResp()
    response.collectors = collectors.map(\.proto)
    if let handles { response.pkHist = handles.proto }
    return response
  }

  /// A column's value as TinySQL's row decoder for ANALYZE (`rowcodec.BytesDecoder`) hands it
  /// to the collectors: the handle in key form (so handles sort as their bytes), a column the
  /// row lacks as its `default_val` bytes unchanged (NULL without one), any other value in
  /// value form (NULL as the single flag byte 0).
  private static func analyzedValue(
    of column: Tipb_ColumnInfo, in row: EncodedRow, handle: Int64
  ) throws(CodecError) -> [UInt8] {
    let isHandle = column.pkHandle || column.columnID == TableKeys.extraHandleColumnID
    if !isHandle, row.column(column.columnID) == .absent, !column.defaultVal.isEmpty {
      return Array(column.defaultVal)
    }
    var bytes: [UInt8] = []
    DatumCodec.append(
      try row.datum(of: column, handle: handle), as: isHandle ? .key : .value, to: &bytes)
    return bytes
  }
}
