import Coprocessor
import Foundation
import Testing
import TinyKVProto
import TipbProto

/// DAG requests through the RPC's handler, over `PeopleTable` written transactionally into a
/// standalone store: snapshots at `start_ts`, locks, both scans, and every kind of error.
struct CoprocessorHandlerTests {
  private let columns = PeopleTable.columns

  @Test("a table scan answers every row of the snapshot in its output columns")
  func tableScan() async throws {
    let store = try await TableStore(handles: 1...100)
    let response = try await store.request(
      [PeopleTable.tableScan()], ranges: [PeopleTable.rowRange], outputOffsets: [0, 2])
    let rows = try store.rows(response, columns: 2)
    #expect(rows.count == 100)
    #expect(rows.first == [.int(1), PeopleTable.age(1)])
    #expect(rows.last == [.int(100), PeopleTable.age(100)])
    // 100 rows: two chunks, 64 and 36.
    let select = try Tipb_SelectResponse(serializedBytes: response.data)
    #expect(select.chunks.count == 2)
  }

  @Test("the snapshot is the request's start_ts: later commits unseen, earlier ones seen")
  func snapshot() async throws {
    let store = try await TableStore(handles: 1...3)
    try await store.commit(try PeopleTable.pairs(4), startTS: 30, commitTS: 40)
    for (timestamp, expected) in [(15, 0), (25, 3), (45, 4)] {
      let response = try await store.request(
        [PeopleTable.tableScan()], ranges: [PeopleTable.rowRange], outputOffsets: [0],
        startTS: UInt64(timestamp))
      #expect(try store.rows(response, columns: 1).count == expected, "at \(timestamp)")
    }
    // start_ts 0 falls back to the DAG's start_ts_fallback.
    let fallback = try await store.request(
      [PeopleTable.tableScan()], ranges: [PeopleTable.rowRange], outputOffsets: [0], startTS: 0
    ) { $0.startTsFallback = 25 }
    #expect(try store.rows(fallback, columns: 1).count == 3)
  }

  @Test("a lock in the snapshot's way answers locked with its key and primary; older reads pass")
  func locked() async throws {
    let store = try await TableStore(handles: 1...10)
    let pending = try PeopleTable.pairs(11)
    try await store.commit(pending, startTS: 50, commitTS: nil)
    let blocked = try await store.request(
      [PeopleTable.tableScan()], ranges: [PeopleTable.rowRange], outputOffsets: [0], startTS: 60)
    #expect(blocked.hasLocked)
    #expect(blocked.locked.key == Data(pending[0].key))
    #expect(blocked.locked.primaryLock == Data(pending[0].key))
    #expect(blocked.locked.lockVersion == 50)
    #expect(blocked.data.isEmpty)
    let before = try await store.request(
      [PeopleTable.tableScan()], ranges: [PeopleTable.rowRange], outputOffsets: [0], startTS: 40)
    #expect(try store.rows(before, columns: 1).count == 10)
    // A range that stops before the locked row does not meet it.
    let beside = try await store.request(
      [PeopleTable.tableScan()], ranges: [PeopleTable.rowRange(1..<11)], outputOffsets: [0],
      startTS: 60)
    #expect(try store.rows(beside, columns: 1).count == 10)
  }

  @Test(
    "several ranges in order; a descending scan reads them all backwards and stops at its limit")
  func rangesAndDescending() async throws {
    let store = try await TableStore(handles: 1...50)
    let ranges = [PeopleTable.rowRange(3..<6), PeopleTable.rowRange(40..<43)]
    let ascending = try await store.request(
      [PeopleTable.tableScan()], ranges: ranges, outputOffsets: [0])
    #expect(
      try store.rows(ascending, columns: 1).map(\.[0]) == [3, 4, 5, 40, 41, 42].map(Datum.int))
    let descending = try await store.request(
      [PeopleTable.tableScan(desc: true), .limit(4)], ranges: ranges, outputOffsets: [0])
    #expect(try store.rows(descending, columns: 1).map(\.[0]) == [42, 41, 40, 5].map(Datum.int))
  }

  @Test("index scans: values from the key, the handle from the key's end or the unique value")
  func indexScans() async throws {
    let store = try await TableStore(handles: 1...30)
    let handle = Tipb_ColumnInfo(id: 1, type: .longlong, pkHandle: true)
    // Ages 21 up to (not including) 23: handles with h % 10 in {1, 2}, not multiples of 7.
    let byAge = try await store.request(
      [PeopleTable.indexScan(PeopleTable.ageIndex, [columns[2], handle])],
      ranges: [PeopleTable.indexRange(PeopleTable.ageIndex, from: .int(21), to: .int(23))],
      outputOffsets: [0, 1])
    let expected = [1, 11, 2, 12, 22].map { handle in
      [PeopleTable.age(Int64(handle)), Datum.int(Int64(handle))]
    }
    #expect(try store.rows(byAge, columns: 2) == expected.filter { $0[0] != .null })
    // NULL ages sort first in the index: a range from NULL up to the least value finds them.
    let nullAges = try await store.request(
      [PeopleTable.indexScan(PeopleTable.ageIndex, [columns[2], handle])],
      ranges: [PeopleTable.indexRange(PeopleTable.ageIndex, from: .null, to: .minNotNull)],
      outputOffsets: [1])
    #expect(
      try store.rows(nullAges, columns: 1) == [[.int(7)], [.int(14)], [.int(21)], [.int(28)]])
    // The unique index, descending, without the handle column and with it.
    let byName = try await store.request(
      [PeopleTable.indexScan(PeopleTable.nameIndex, [columns[1], handle], desc: true), .limit(2)],
      ranges: [PeopleTable.indexRange(PeopleTable.nameIndex, from: .minNotNull, to: .maxValue)],
      outputOffsets: [0, 1])
    // Names sort as strings: user-9 > user-8 > user-30 > ...
    #expect(
      try store.rows(byName, columns: 2) == [
        [.bytes(PeopleTable.name(9)), .int(9)], [.bytes(PeopleTable.name(8)), .int(8)],
      ])
  }

  @Test("a filter and a grouped aggregation answer TinySQL's partial results")
  func filterAndAggregate() async throws {
    let store = try await TableStore(handles: 1...200)
    // SELECT age, count(*), sum(score), max(id) FROM people WHERE id > 50 GROUP BY age
    let filter = Tipb_Executor.selection(
      Tipb_Expr.call(.gtint, Tipb_Expr.column(0), Tipb_Expr.constant(.int(50))))
    let aggregate = Tipb_Executor.aggregation(
      [
        Tipb_Expr.aggregate(.count, Tipb_Expr.constant(.int(1))),
        Tipb_Expr.aggregate(.sum, Tipb_Expr.column(3)),
        Tipb_Expr.aggregate(.max, Tipb_Expr.column(0)),
      ], groupBy: [Tipb_Expr.column(2)])
    let response = try await store.request(
      [PeopleTable.tableScan(), filter, aggregate], ranges: [PeopleTable.rowRange],
      outputOffsets: [0, 1, 2, 3])
    let rows = try store.rows(response, columns: 4)
    var expected: [Datum: (count: Int64, sum: Double, max: Int64)] = [:]
    for handle in Int64(51)...200 {
      var group = expected[PeopleTable.age(handle), default: (0, 0, 0)]
      group.count += 1
      group.sum += PeopleTable.score(handle)
      group.max = max(group.max, handle)
      expected[PeopleTable.age(handle)] = group
    }
    #expect(rows.count == expected.count)
    for row in rows {
      let group = try #require(expected[row[3]], "unexpected group \(row[3])")
      #expect(row[0] == .int(group.count))
      #expect(row[1] == .float(group.sum))
      #expect(row[2] == .int(group.max))
    }
  }

  @Test("TopN and a projection over the scan")
  func topNAndProjection() async throws {
    let store = try await TableStore(handles: 1...40)
    // SELECT id * 2 FROM people ORDER BY score DESC LIMIT 3
    let response = try await store.request(
      [
        PeopleTable.tableScan(), .topN(3, by: Tipb_Expr.column(3), desc: true),
        .projection(Tipb_Expr.call(.multiplyInt, Tipb_Expr.column(0), Tipb_Expr.constant(.int(2)))),
      ], ranges: [PeopleTable.rowRange], outputOffsets: [0])
    #expect(try store.rows(response, columns: 1) == [[.int(80)], [.int(78)], [.int(76)]])
  }

  @Test("execution summaries count each executor's rows when asked")
  func summaries() async throws {
    let store = try await TableStore(handles: 1...20)
    let response = try await store.request(
      [
        PeopleTable.tableScan(),
        .selection(Tipb_Expr.call(.leint, Tipb_Expr.column(0), Tipb_Expr.constant(.int(5)))),
      ],
      ranges: [PeopleTable.rowRange], outputOffsets: [0]
    ) { $0.collectExecutionSummaries = true }
    let select = try Tipb_SelectResponse(serializedBytes: response.data)
    #expect(select.executionSummaries.map(\.numProducedRows) == [20, 5])
  }

  @Test("requests it cannot run answer other_error; evaluation errors come with their MySQL code")
  func errors() async throws {
    let store = try await TableStore(handles: 1...5)
    let scan = PeopleTable.tableScan()
    let all = [PeopleTable.rowRange]
    var refusals: [(String, Coprocessor_Response)] = []
    refusals.append(("no ranges", try await store.request([scan], ranges: [], outputOffsets: [0])))
    refusals.append(
      (
        "an empty range",
        try await store.request(
          [scan], ranges: [KeyRange(start: [1], end: [1])], outputOffsets: [0])
      ))
    refusals.append(
      (
        "overlapping ranges",
        try await store.request(
          [scan], ranges: [PeopleTable.rowRange(1..<5), PeopleTable.rowRange(3..<9)],
          outputOffsets: [0])
      ))
    refusals.append(("no executors", try await store.request([], ranges: all, outputOffsets: [])))
    refusals.append(
      ("not a scan first", try await store.request([.limit(1)], ranges: all, outputOffsets: [0])))
    refusals.append(
      ("a second scan", try await store.request([scan, scan], ranges: all, outputOffsets: [0])))
    refusals.append(
      ("an output offset too far", try await store.request([scan], ranges: all, outputOffsets: [4]))
    )
    refusals.append(
      (
        "an unsupported function",
        try await store.request(
          [scan, .selection(Tipb_Expr.call(.castIntAsDecimal, Tipb_Expr.column(0)))],
          ranges: all, outputOffsets: [0])
      ))
    refusals.append(
      (
        "chunk encoding",
        try await store.request([scan], ranges: all, outputOffsets: [0]) {
          $0.encodeType = .typeChunk
        }
      ))
    for (what, response) in refusals {
      #expect(!response.otherError.isEmpty, "\(what): \(response)")
      #expect(response.data.isEmpty, "\(what)")
    }

    var wrongType = Coprocessor_Request()
    wrongType.tp = 105
    wrongType.ranges = [Coprocessor_KeyRange()]
    wrongType.ranges[0].end = Data([1])
    #expect(try await store.coprocessor.handle(wrongType).otherError.contains("105"))
    var garbage = wrongType
    garbage.tp = 103
    garbage.data = Data([0xFF, 0xFF, 0xFF])
    #expect(try await store.coprocessor.handle(garbage).otherError.contains("does not decode"))

    // SELECT id * 9223372036854775807 FROM people: out of range from the second row on.
    let overflow = try await store.request(
      [
        scan,
        .projection(
          Tipb_Expr.call(.multiplyInt, Tipb_Expr.column(0), Tipb_Expr.constant(.int(.max)))),
      ],
      ranges: all, outputOffsets: [0])
    #expect(overflow.otherError.isEmpty)
    let select = try Tipb_SelectResponse(serializedBytes: overflow.data)
    #expect(select.error.code == 1690)
    #expect(select.error.msg.contains("BIGINT value is out of range"))
  }
}
