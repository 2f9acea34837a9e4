import Client
import Coprocessor
import Foundation
import TestSupport
import Testing
import TipbProto
import Transaction

/// Push-down on real processes: the scheduler and 3 stores with small regions, a table's rows
/// and index entries written in TiDB's layout by the Swift transactional client until they
/// span several regions, then DAG requests sent region by region and their partial results
/// merged as TinySQL's root executors would.
@Suite("Coprocessor on a cluster", .serialized)
struct CoprocessorClusterTests {
  private static let tableID: Int64 = 20
  private static let kIndex: Int64 = 1
  private static let rows: Int64 = 2_000

  /// Row `h`: `k = h % 7`, NULL when `h` is a multiple of 11; `name = "n-h"`.
  private static func k(_ handle: Int64) -> Datum { handle % 11 == 0 ? .null : .int(handle % 7) }
  private static func name(_ handle: Int64) -> [UInt8] { Array("n-\(handle)".utf8) }

  private static func dag(_ executors: [Tipb_Executor], outputs: Int) throws -> Data {
    var dag = Tipb_DAGRequest()
    dag.executors = executors
    dag.outputOffsets = (0..<outputs).map(UInt32.init)
    return try dag.serializedData()
  }

  private static var tableScan: Tipb_Executor {
    var scan = Tipb_Executor()
    scan.tp = .typeTableScan
    scan.tblScan.tableID = tableID
    scan.tblScan.columns = [
      Tipb_ColumnInfo(id: 1, type: .longlong, pkHandle: true),
      Tipb_ColumnInfo(id: 2, type: .long), Tipb_ColumnInfo(id: 3, type: .varchar),
    ]
    return scan
  }

  /// Every region's rows of a response set, `columns` datums each.
  private static func rows(_ answers: [Data], columns: Int) throws -> [[Datum]] {
    var rows: [[Datum]] = []
    for answer in answers {
      let select = try Tipb_SelectResponse(serializedBytes: answer)
      if select.hasError { throw CoprocessorError("the store answered \(select.error.msg)") }
      for chunk in select.chunks {
        var reader = ByteReader(chunk.rowsData)
        while !reader.isEmpty { rows.append(try (0..<columns).map { _ in try reader.datum() }) }
      }
    }
    return rows
  }

  @Test("filter + grouped aggregation, TopN and an index scan over regions, merged by the client")
  func pushDownAcrossRegions() async throws {
    let cluster = try await ClientsCluster.start()
    defer { cluster.stop() }
    let recordRange = (
      start: Data(TableKeys.recordPrefix(table: Self.tableID)),
      end: Data(TableKeys.recordPrefix(table: Self.tableID + 1))
    )
    try await ClusterTxnClient.connect(scheduler: HostAndPort(parsing: cluster.pd)) { client in
      for first in stride(from: Int64(1), through: Self.rows, by: 100) {
        try await client.run { txn in
          for handle in first..<first + 100 {
            let row = try EncodedRow.encode([(2, Self.k(handle)), (3, .bytes(Self.name(handle)))])
            txn.put(Data(TableKeys.record(table: Self.tableID, handle: handle)), Data(row))
            let index = TableKeys.index(
              table: Self.tableID, index: Self.kIndex, values: [Self.k(handle), .int(handle)])
            txn.put(Data(index), Data("0".utf8))
          }
        }
      }
      // Wait until the rows span at least three regions.
      try await cluster.withScheduler { scheduler in
        try await eventually("the rows span 3 regions", timeout: .seconds(90)) {
          let regions = try await scheduler.scanRegions()
          // Region keys are memcomparable-encoded user keys.
          let (start, end) = (
            Memcomparable.encode(recordRange.start), Memcomparable.encode(recordRange.end)
          )
          let inside = regions.filter { region in
            (region.region.endKey.isEmpty || start.lexicographicallyPrecedes(region.region.endKey))
              && region.region.startKey.lexicographicallyPrecedes(end)
          }
          return inside.count >= 3
        }
      }

      // SELECT k, count(*), sum(id), max(name) FROM t20 WHERE id > 100 GROUP BY k
      var selection = Tipb_Executor()
      selection.tp = .typeSelection
      selection.selection.conditions = [.call(.gtint, .column(0), .constant(.int(100)))]
      var aggregation = Tipb_Executor()
      aggregation.tp = .typeAggregation
      aggregation.aggregation.aggFunc = [
        .aggregate(.count, .constant(.int(1))), .aggregate(.sum, .column(0)),
        .aggregate(.max, .column(2)),
      ]
      aggregation.aggregation.groupBy = [.column(1)]
      let grouped = try await client.coprocessor(
        type: 103, data: try Self.dag([Self.tableScan, selection, aggregation], outputs: 4),
        ranges: [recordRange], startTS: try await client.oracle.timestamp())
      #expect(grouped.count >= 3, "one answer per region")
      var merged: [Datum: (count: Int64, sum: Int64, max: [UInt8])] = [:]
      for row in try Self.rows(grouped, columns: 4) {
        guard case .int(let count) = row[0], case .int(let sum) = row[1],
          case .bytes(let name) = row[2]
        else { throw CoprocessorError("a partial row of the wrong shape: \(row)") }
        var group = merged[row[3], default: (0, 0, [])]
        group.count += count
        group.sum += sum
        if group.max.lexicographicallyPrecedes(name) { group.max = name }
        merged[row[3]] = group
      }
      var expected: [Datum: (count: Int64, sum: Int64, max: [UInt8])] = [:]
      for handle in Int64(101)...Self.rows {
        var group = expected[Self.k(handle), default: (0, 0, [])]
        group.count += 1
        group.sum += handle
        if group.max.lexicographicallyPrecedes(Self.name(handle)) { group.max = Self.name(handle) }
        expected[Self.k(handle)] = group
      }
      #expect(merged.count == expected.count)
      for (key, group) in expected {
        #expect(merged[key]?.count == group.count, "count of group \(key)")
        #expect(merged[key]?.sum == group.sum, "sum of group \(key)")
        #expect(merged[key]?.max == group.max, "max of group \(key)")
      }

      // SELECT id FROM t20 ORDER BY id DESC LIMIT 5: each region's top 5, then the top 5.
      var topN = Tipb_Executor()
      topN.tp = .typeTopN
      var item = Tipb_ByItem()
      item.expr = .column(0)
      item.desc = true
      topN.topN.orderBy = [item]
      topN.topN.limit = 5
      let tops = try Self.rows(
        try await client.coprocessor(
          type: 103, data: try Self.dag([Self.tableScan, topN], outputs: 1),
          ranges: [recordRange], startTS: try await client.oracle.timestamp()), columns: 1)
      let top = tops.compactMap { row -> Int64? in
        if case .int(let id) = row[0] { id } else { nil }
      }.sorted(by: >).prefix(5)
      #expect(Array(top) == [2_000, 1_999, 1_998, 1_997, 1_996])

      // SELECT id FROM t20 WHERE k >= 2 AND k < 4 through the index on k: (k, handle) pairs.
      var indexScan = Tipb_Executor()
      indexScan.tp = .typeIndexScan
      indexScan.idxScan.tableID = Self.tableID
      indexScan.idxScan.indexID = Self.kIndex
      indexScan.idxScan.columns = [
        Tipb_ColumnInfo(id: 2, type: .long),
        Tipb_ColumnInfo(id: 1, type: .longlong, pkHandle: true),
      ]
      let indexRange = (
        start: Data(TableKeys.index(table: Self.tableID, index: Self.kIndex, values: [.int(2)])),
        end: Data(TableKeys.index(table: Self.tableID, index: Self.kIndex, values: [.int(4)]))
      )
      let entries = try Self.rows(
        try await client.coprocessor(
          type: 103, data: try Self.dag([indexScan], outputs: 2), ranges: [indexRange],
          startTS: try await client.oracle.timestamp()), columns: 2)
      let expectedEntries = (Int64(1)...Self.rows).filter {
        [.int(2), .int(3)].contains(Self.k($0))
      }
      #expect(entries.count == expectedEntries.count)
      #expect(Set(entries.map { $0[1] }) == Set(expectedEntries.map { Datum.int($0) }))
    }
  }
}
