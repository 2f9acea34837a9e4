import Coprocessor
import Foundation
import Testing
import TipbProto

/// The pipeline's first steps over rows encoded as TinySQL stores them.
struct ExecutorTests {
  /// Pairs handed out in order, counting how many were read.
  struct Pairs: KeyValueSource {
    var pairs: [(key: [UInt8], value: [UInt8])]
    var read = 0

    mutating func next() throws(CoprocessorError) -> (key: [UInt8], value: [UInt8])? {
      guard read < pairs.count else { return nil }
      defer { read += 1 }
      return pairs[read]
    }
  }

  /// Table 7's rows (handle, name): handles 1...count, names "n<handle>".
  private func table(_ count: Int) throws -> Pairs {
    Pairs(
      pairs: try (1...count).map { handle in
        (
          TableKeys.record(table: 7, handle: Int64(handle)),
          try EncodedRow.encode([(2, .bytes(Array("n\(handle)".utf8)))])
        )
      })
  }

  private var scan: Tipb_TableScan {
    let id = Tipb_ColumnInfo(id: 1, type: .longlong, pkHandle: true)
    let name = Tipb_ColumnInfo(id: 2, type: .varchar)
    var scan = Tipb_TableScan()
    scan.tableID = 7
    scan.columns = [id, name]
    return scan
  }

  private func greaterThan(_ value: Int64) -> Tipb_Selection {
    let condition = Tipb_Expr.call(.gtint, Tipb_Expr.column(0), Tipb_Expr.constant(.int(value)))
    var selection = Tipb_Selection()
    selection.conditions = [condition]
    return selection
  }

  @Test("a table scan decodes each row's columns, the handle from the key")
  func tableScan() throws {
    var rows = TableScan(scan, source: try table(2))
    #expect(try rows.next() == [.int(1), .bytes(Array("n1".utf8))])
    #expect(try rows.next() == [.int(2), .bytes(Array("n2".utf8))])
    #expect(try rows.next() == nil)
    var broken = TableScan(scan, source: Pairs(pairs: [([0x74], [0x80])]))
    #expect(throws: CoprocessorError.self) { try broken.next() }
  }

  @Test("selection keeps rows whose conditions are true; limit stops pulling once it has its rows")
  func selectionAndLimit() throws {
    let selection = try Selection(
      greaterThan(3), input: TableScan(scan, source: try table(100)), columnCount: 2)
    var limit = Limit(
      {
        var limit = Tipb_Limit()
        limit.limit = 2
        return limit
      }(), input: selection)
    #expect(try limit.next()?.first == .int(4))
    #expect(try limit.next()?.first == .int(5))
    #expect(try limit.next() == nil)
  }

  @Test("chunks of 64 rows, each row its output columns value-encoded")
  func chunks() throws {
    var encoder = try ChunkEncoder(outputOffsets: [1, 0], columnCount: 2)
    for handle in 1...70 { encoder.append([.int(Int64(handle % 10)), .bytes([0x61])]) }
    #expect(encoder.chunks.count == 2)
    // Row 1: compact bytes "a" (flag 2, length varint 2, 0x61), then varint 1 (flag 8, zigzag 2);
    // every row 5 bytes (its integer under 64: one varint byte).
    #expect(Array(encoder.chunks[0].rowsData.prefix(5)) == [0x02, 0x02, 0x61, 0x08, 0x02])
    #expect(encoder.chunks[0].rowsData.count == 64 * 5)
    #expect(encoder.chunks[1].rowsData.count == 6 * 5)
    #expect(throws: CoprocessorError.self) { try ChunkEncoder(outputOffsets: [2], columnCount: 2) }
  }
}

extension ExecutorTests {
  private func topN(_ limit: UInt64, descending: Bool) -> Tipb_TopN {
    let column = Tipb_Expr.column(0)
    var item = Tipb_ByItem()
    item.expr = column
    item.desc = descending
    var topN = Tipb_TopN()
    topN.orderBy = [item]
    topN.limit = limit
    return topN
  }

  @Test("TopN: the first rows in order, NULL first ascending and last descending")
  func topNOrder() throws {
    let input = Rows(rows: [[.int(5)], [.null], [.int(-2)], [.int(9)], [.int(5)], [.int(0)]])
    var ascending = try TopN(topN(3, descending: false), input: input, columnCount: 1)
    var rows: [[Datum]] = []
    while let row = try ascending.next() { rows.append(row) }
    #expect(rows == [[.null], [.int(-2)], [.int(0)]])
    var descending = try TopN(topN(2, descending: true), input: input, columnCount: 1)
    #expect(try descending.next() == [.int(9)])
    #expect(try descending.next() == [.int(5)])
    #expect(try descending.next() == nil)
    var none = try TopN(topN(0, descending: false), input: input, columnCount: 1)
    #expect(try none.next() == nil)
    var all = try TopN(topN(.max, descending: false), input: input, columnCount: 1)
    var count = 0
    while try all.next() != nil { count += 1 }
    #expect(count == 6)
  }

  @Test("TopN over many rows keeps the right ones while it trims")
  func topNTrims() throws {
    let values = (0..<1000).map { ($0 * 7919) % 1000 }
    var top = try TopN(
      topN(10, descending: true), input: Rows(rows: values.map { [.int(Int64($0))] }),
      columnCount: 1)
    var rows: [[Datum]] = []
    while let row = try top.next() { rows.append(row) }
    #expect(rows == (990..<1000).reversed().map { [.int(Int64($0))] })
  }
}
