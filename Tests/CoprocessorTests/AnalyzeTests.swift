import Coprocessor
import Foundation
import Testing
import TipbProto

/// Index and column ANALYZE over pairs laid out as TinySQL writes them (index entries, rows),
/// the expected statistics worked out by hand from TinySQL's rules (its `mocktikv` store and
/// `statistics` package).
struct AnalyzeTests {
  typealias Pairs = ExecutorTests.Pairs

  private func keyForm(_ datum: Datum) -> [UInt8] {
    var bytes: [UInt8] = []
    DatumCodec.append(datum, as: .key, to: &bytes)
    return bytes
  }

  /// A sketch's counters that are not 0, row by row, by column: short to print when it differs.
  private func counted(_ rows: [[UInt32]]) -> [[Int: UInt32]] {
    rows.map { row in
      Dictionary(uniqueKeysWithValues: row.enumerated().filter { $0.element != 0 }.map { ($0, $1) })
    }
  }

  private func indexRequest(
    bucketSize: Int64, columns: Int32, sketch: (depth: Int32, width: Int32)? = nil
  ) -> Tipb_AnalyzeReq {
    var index = Tipb_AnalyzeIndexReq()
    index.bucketSize = bucketSize
    index.numColumns = columns
    if let sketch {
      index.cmsketchDepth = sketch.depth
      index.cmsketchWidth = sketch.width
    }
    var request = Tipb_AnalyzeReq()
    request.tp = .typeIndex
    request.idxReq = index
    return request
  }

  private func analyzeIndex(
    _ request: Tipb_AnalyzeReq, _ pairs: [(key: [UInt8], value: [UInt8])]
  ) throws -> Tipb_AnalyzeIndexResp {
    var source = Pairs(pairs: pairs)
    return try Tipb_AnalyzeIndexResp(
      serializedBytes: try Analyze.run(request, source: &source, seed: 1))
  }

  // MARK: Index

  @Test("index ANALYZE: a histogram of the indexed values without the handle")
  func indexHistogram() throws {
    // Table 7, index 3 on one integer column, not unique: each key ends with its handle.
    // Values 1 1 2 3 3 3 4 5 (handles 1...8), at most 2 buckets:
    // 1 1 -> [1 c2 r2]. 2 -> [2 c3]: two buckets, full. 3: merge -> [1-2 c3 r1], 2 per bucket;
    // it holds 3 already -> [3 c4]. 3 3 -> [3 c6 r3]. 4: [3] holds 3, full, merge ->
    // [1-3 c6 r3], 4 per bucket; it holds 6 -> [4 c7]. 5 -> [4-5 c8 r1].
    let values: [Int64] = [1, 1, 2, 3, 3, 3, 4, 5]
    let pairs = values.enumerated().map { handle, value in
      (
        TableKeys.index(table: 7, index: 3, values: [.int(value), .int(Int64(handle + 1))]),
        [UInt8(ascii: "0")]
      )
    }
    let response = try analyzeIndex(indexRequest(bucketSize: 2, columns: 1), pairs)
    #expect(response.hist.ndv == 5)
    #expect(response.hist.buckets.map(\.count) == [6, 8])
    #expect(response.hist.buckets.map(\.repeats) == [3, 1])
    // An int in key form: flag 3, then 8 big-endian bytes with the sign bit flipped.
    #expect(Array(response.hist.buckets[0].lowerBound) == [0x03, 0x80, 0, 0, 0, 0, 0, 0, 0x01])
    #expect(Array(response.hist.buckets[0].upperBound) == [0x03, 0x80, 0, 0, 0, 0, 0, 0, 0x03])
    #expect(Array(response.hist.buckets[1].lowerBound) == keyForm(.int(4)))
    #expect(Array(response.hist.buckets[1].upperBound) == keyForm(.int(5)))
    #expect(!response.hasCms)
  }

  @Test("index ANALYZE: a CM sketch of every prefix of the indexed values")
  func indexSketch() throws {
    // Index 3 on (a int, b varchar), not unique: entries (1, x), (1, y), (2, x), handles 1...3.
    // The histogram (256 buckets: one per value) holds a then b in key form, no handle; the
    // sketch counts a alone and a then b, for each entry.
    let entries: [(Int64, String)] = [(1, "x"), (1, "y"), (2, "x")]
    let pairs = entries.enumerated().map { handle, entry in
      (
        TableKeys.index(
          table: 7, index: 3,
          values: [.int(entry.0), .bytes(Array(entry.1.utf8)), .int(Int64(handle + 1))]),
        [UInt8(ascii: "0")]
      )
    }
    let response = try analyzeIndex(
      indexRequest(bucketSize: 256, columns: 2, sketch: (5, 2048)), pairs)
    #expect(response.hist.ndv == 3)
    #expect(response.hist.buckets.map(\.count) == [1, 2, 3])
    // 1 in key form, then "x" in key form: flag 1, the group "x" padded with 7 zeros, then the
    // marker 0xFF - 7.
    let first: [UInt8] = [
      0x03, 0x80, 0, 0, 0, 0, 0, 0, 0x01, 0x01, 0x78, 0, 0, 0, 0, 0, 0, 0, 0xF8,
    ]
    #expect(Array(response.hist.buckets[0].lowerBound) == first)
    #expect(Array(response.hist.buckets[0].upperBound) == first)
    #expect(
      Array(response.hist.buckets[2].upperBound)
        == keyForm(.int(2)) + keyForm(.bytes(Array("x".utf8))))

    var expected = CMSketch(depth: 5, width: 2048)
    for (a, b) in entries {
      expected.insert(keyForm(.int(a)))
      expected.insert(keyForm(.int(a)) + keyForm(.bytes(Array(b.utf8))))
    }
    #expect(counted(response.cms.rows.map(\.counters)) == counted(expected.rows))
    #expect(response.cms.rows.allSatisfy { $0.counters.count == 2048 })
    #expect(response.cms.rows.allSatisfy { $0.counters.reduce(0, +) == 6 })
    #expect(expected.estimate(keyForm(.int(1))) == 2)
  }

  @Test("index ANALYZE: a unique index's keys hold no handle; a key of too few values is refused")
  func indexUniqueAndBroken() throws {
    let unique = [Int64(5), 6].map { value in
      (
        TableKeys.index(table: 7, index: 3, values: [.int(value)]),
        [0, 0, 0, 0, 0, 0, 0, 9] as [UInt8]
      )
    }
    let response = try analyzeIndex(indexRequest(bucketSize: 4, columns: 1), unique)
    #expect(
      response.hist.buckets.map { Array($0.upperBound) } == [keyForm(.int(5)), keyForm(.int(6))])

    let error = #expect(throws: CoprocessorError.self) {
      try analyzeIndex(indexRequest(bucketSize: 4, columns: 2), unique)
    }
    #expect(error?.description.contains("index key that does not decode") == true)
    let rowKey = [(TableKeys.record(table: 7, handle: 1), [UInt8]())]
    #expect(throws: CoprocessorError.self) {
      try analyzeIndex(indexRequest(bucketSize: 4, columns: 1), rowKey)
    }
  }
}

extension AnalyzeTests {
  // MARK: Columns

  private func column(
    _ id: Int64, _ type: MySQLType, pk: Bool = false, unsigned: Bool = false,
    default value: [UInt8] = []
  ) -> Tipb_ColumnInfo {
    var column = Tipb_ColumnInfo(id: id, type: type, pkHandle: pk, unsigned: unsigned)
    if !value.isEmpty { column.defaultVal = Data(value) }
    return column
  }

  private func columnsRequest(
    _ columns: [Tipb_ColumnInfo], bucketSize: Int64 = 2, sampleSize: Int64 = 10,
    sketch: (depth: Int32, width: Int32)? = nil
  ) -> Tipb_AnalyzeReq {
    var columnsRequest = Tipb_AnalyzeColumnsReq()
    columnsRequest.bucketSize = bucketSize
    columnsRequest.sampleSize = sampleSize
    columnsRequest.sketchSize = 100
    columnsRequest.columnsInfo = columns
    if let sketch {
      columnsRequest.cmsketchDepth = sketch.depth
      columnsRequest.cmsketchWidth = sketch.width
    }
    var request = Tipb_AnalyzeReq()
    request.tp = .typeColumn
    request.colReq = columnsRequest
    return request
  }

  private func analyzeColumns(
    _ request: Tipb_AnalyzeReq, _ pairs: [(key: [UInt8], value: [UInt8])], seed: UInt64 = 1
  ) throws -> Tipb_AnalyzeColumnsResp {
    var source = Pairs(pairs: pairs)
    return try Tipb_AnalyzeColumnsResp(
      serializedBytes: try Analyze.run(request, source: &source, seed: seed))
  }

  /// Table 7 (id bigint primary key, name varchar, score int default 7):
  /// (1, "a", 10), (2, NULL, -), (3, "bb", NULL), (4, "a", -), where - is a row written before
  /// score was added, so it reads as the default.
  private func people() throws -> [(key: [UInt8], value: [UInt8])] {
    let rows: [(Int64, [(id: Int64, value: Datum)])] = [
      (1, [(2, .bytes(Array("a".utf8))), (3, .int(10))]),
      (2, [(2, .null)]),
      (3, [(2, .bytes(Array("bb".utf8))), (3, .null)]),
      (4, [(2, .bytes(Array("a".utf8)))]),
    ]
    return try rows.map { (TableKeys.record(table: 7, handle: $0.0), try EncodedRow.encode($0.1)) }
  }

  private var peopleColumns: [Tipb_ColumnInfo] {
    // The default 7 in value form: flag 8, varint 7 (zigzag 14).
    [column(1, .longlong, pk: true), column(2, .varchar), column(3, .long, default: [0x08, 0x0E])]
  }

  @Test("column ANALYZE: the handles' histogram and a collector per other column")
  func columnsCollect() throws {
    let response = try analyzeColumns(
      columnsRequest(peopleColumns, sketch: (5, 2048)), try people())

    // Handles 1 2 3 4 in key form, 2 buckets: [1] [2] full; 3: merge -> [1-2 c2], 2 per
    // bucket, full -> [3 c3]; 4 -> [3-4 c4].
    #expect(response.hasPkHist)
    #expect(response.pkHist.ndv == 4)
    #expect(response.pkHist.buckets.map(\.count) == [2, 4])
    #expect(Array(response.pkHist.buckets[0].lowerBound) == [0x03, 0x80, 0, 0, 0, 0, 0, 0, 0x01])
    #expect(Array(response.pkHist.buckets[1].upperBound) == [0x03, 0x80, 0, 0, 0, 0, 0, 0, 0x04])
    #expect(response.collectors.count == 2)

    // name: "a" NULL "bb" "a". In value form "a" is flag 2, zigzag length 2, 'a' (2 bytes
    // after the flag) and "bb" is 2, 4, 'b', 'b' (3): total 2 + 3 + 2.
    let name = response.collectors[0]
    let a: [UInt8] = [0x02, 0x02, 0x61]
    let bb: [UInt8] = [0x02, 0x04, 0x62, 0x62]
    #expect(name.nullCount == 1 && name.count == 3 && name.totalSize == 7)
    #expect(name.samples.map { Array($0) } == [a, bb, a])
    #expect(name.fmSketch.mask == 0 && name.fmSketch.hashset.count == 2)

    // score: 10 (flag 8, zigzag 20), the default 7 twice, one NULL.
    let score = response.collectors[1]
    #expect(score.nullCount == 1 && score.count == 3 && score.totalSize == 3)
    #expect(score.samples.map { Array($0) } == [[0x08, 0x14], [0x08, 0x0E], [0x08, 0x0E]])
    var sketch = CMSketch(depth: 5, width: 2048)
    for value: [UInt8] in [[0x08, 0x14], [0x08, 0x0E], [0x08, 0x0E]] { sketch.insert(value) }
    #expect(counted(score.cmSketch.rows.map(\.counters)) == counted(sketch.rows))
  }

  @Test("column ANALYZE without a primary-key handle: no pk_hist, no CM sketch unless asked")
  func columnsWithoutHandle() throws {
    let columns = Array(peopleColumns.dropFirst())
    let response = try analyzeColumns(columnsRequest(columns), try people())
    #expect(!response.hasPkHist)
    #expect(response.collectors.map(\.count) == [3, 3])
    #expect(response.collectors.allSatisfy { !$0.hasCmSketch && $0.hasFmSketch })

    // An unsigned primary key's handles are unsigned in key form: flag 4, 8 big-endian bytes.
    let unsigned = [column(1, .longlong, pk: true, unsigned: true), column(2, .varchar)]
    let withUnsigned = try analyzeColumns(columnsRequest(unsigned), try people())
    #expect(Array(withUnsigned.pkHist.buckets[0].lowerBound) == [0x04, 0, 0, 0, 0, 0, 0, 0, 0x01])
  }

  @Test("column ANALYZE samples at most sample_size values, the same for the same seed")
  func columnsSampleSeeded() throws {
    let rows = try (1...50).map { handle in
      (
        TableKeys.record(table: 7, handle: Int64(handle)),
        try EncodedRow.encode([(2, .bytes(Array("n\(handle)".utf8)))])
      )
    }
    let request = columnsRequest([column(2, .varchar)], sampleSize: 3)
    let all = Set(
      (1...50).map { handle -> [UInt8] in
        var bytes: [UInt8] = []
        DatumCodec.append(.bytes(Array("n\(handle)".utf8)), as: .value, to: &bytes)
        return bytes
      })
    var draws: [[[UInt8]]] = []
    for seed: UInt64 in [7, 7, 8] {
      let collector = try analyzeColumns(request, rows, seed: seed).collectors[0]
      let samples = collector.samples.map { Array($0) }
      #expect(collector.count == 50, "seed \(seed)")
      #expect(samples.count == 3 && samples.allSatisfy(all.contains), "seed \(seed)")
      draws.append(samples)
    }
    #expect(draws[0] == draws[1], "seed 7 twice")
    #expect(draws[0] != draws[2], "seeds 7 and 8")
  }

  @Test("column ANALYZE refuses a pair that is not a row")
  func columnsBrokenRow() throws {
    let pairs = [(TableKeys.index(table: 7, index: 3, values: [.int(1)]), [UInt8(ascii: "0")])]
    let error = #expect(throws: CoprocessorError.self) {
      try analyzeColumns(columnsRequest(peopleColumns), pairs)
    }
    #expect(error?.description.contains("row that does not decode") == true)
  }

  // MARK: Malformed requests

  @Test("malformed ANALYZE requests are refused with a clear error")
  func malformedRequests() throws {
    var noIndex = Tipb_AnalyzeReq()
    noIndex.tp = .typeIndex
    var noColumns = Tipb_AnalyzeReq()
    noColumns.tp = .typeColumn
    var negativeSample = columnsRequest(peopleColumns)
    negativeSample.colReq.sampleSize = -1
    var negativeSketch = columnsRequest(peopleColumns)
    negativeSketch.colReq.sketchSize = -5
    let cases: [(Tipb_AnalyzeReq, String)] = [
      (noIndex, "without idx_req"),
      (noColumns, "without col_req"),
      (indexRequest(bucketSize: -1, columns: 1), "bucket_size must be positive, not -1"),
      (indexRequest(bucketSize: 0, columns: 1), "bucket_size must be positive, not 0"),
      (indexRequest(bucketSize: 4, columns: 0), "num_columns must be positive, not 0"),
      (indexRequest(bucketSize: 4, columns: 1, sketch: (-1, 2048)), "must not be negative"),
      (indexRequest(bucketSize: 4, columns: 1, sketch: (5, 1 << 23)), "is over 16777216 counters"),
      (columnsRequest(peopleColumns, bucketSize: -3), "bucket_size must be positive, not -3"),
      (columnsRequest([]), "without columns"),
      (negativeSample, "sample_size (-1)"),
      (negativeSketch, "sketch_size (-5)"),
      (columnsRequest(peopleColumns, sketch: (5, -1)), "must not be negative"),
    ]
    for (request, message) in cases {
      var source = Pairs(pairs: try people())
      let error = #expect(throws: CoprocessorError.self, "\(message)") {
        try Analyze.run(request, source: &source, seed: 1)
      }
      #expect(error?.description.contains(message) == true, "\(error?.description ?? "")")
      #expect(source.read == 0, "\(message): refused before reading")
    }
    // A zero dimension asks for no sketch, as in TinySQL.
    var source = Pairs(pairs: [])
    let data = try Analyze.run(
      indexRequest(bucketSize: 4, columns: 1, sketch: (0, 2048)), source: &source, seed: 1)
    #expect(!(try Tipb_AnalyzeIndexResp(serializedBytes: data)).hasCms)
  }
}
