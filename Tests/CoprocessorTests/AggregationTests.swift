import Coprocessor
import Foundation
import Testing
import TipbProto

/// Aggregation's partial results as TinySQL merges them, and the projection.
struct AggregationTests {
  /// (group, value) rows: groups 1, 2 and NULL, values with a NULL among them.
  private let input = Rows(rows: [
    [.int(1), .int(10)], [.int(2), .int(5)], [.int(1), .null], [.null, .int(7)],
    [.int(1), .int(-4)], [.int(2), .int(5)],
  ])

  private func aggregation(_ functions: [Tipb_Expr], groupBy: [Tipb_Expr]) -> Tipb_Aggregation {
    var pb = Tipb_Aggregation()
    pb.aggFunc = functions
    pb.groupBy = groupBy
    return pb
  }

  private var everyFunction: [Tipb_Expr] {
    let value = Tipb_Expr.column(1)
    return [
      Tipb_Expr.aggregate(.count, value), Tipb_Expr.aggregate(.sum, value),
      Tipb_Expr.aggregate(.avg, value),
      Tipb_Expr.aggregate(.min, value), Tipb_Expr.aggregate(.max, value),
      Tipb_Expr.aggregate(.first, value),
    ]
  }

  @Test("hash aggregation: per group, in first-seen order, each partial result then the key")
  func hashAggregation() throws {
    var aggregation = try Aggregation(
      aggregation(everyFunction, groupBy: [Tipb_Expr.column(0)]), input: input, columnCount: 2,
      streamed: false)
    // count, sum, avg (count, sum), min, max, first_row, group key: 8 columns.
    #expect(aggregation.columnCount == 8)
    #expect(
      try aggregation.all() == [
        // Group 1: values 10, NULL, -4; count and avg skip the NULL; first row is 10.
        [.int(2), .int(6), .int(2), .int(6), .int(-4), .int(10), .int(10), .int(1)],
        [.int(2), .int(10), .int(2), .int(10), .int(5), .int(5), .int(5), .int(2)],
        // NULLs group together.
        [.int(1), .int(7), .int(1), .int(7), .int(7), .int(7), .int(7), .null],
      ])
  }

  /// Rows handed out in order, counting how many were pulled.
  final class Counted: RowExecutor {
    var rows: Rows
    var pulled = 0
    init(_ rows: [[Datum]]) { self.rows = Rows(rows: rows) }
    func next() throws(CoprocessorError) -> [Datum]? {
      guard let row = try rows.next() else { return nil }
      pulled += 1
      return row
    }
  }

  @Test("stream aggregation answers each group when the next one starts")
  func streamAggregation() throws {
    let sorted = Counted([
      [.int(1), .int(1)], [.int(1), .int(2)], [.int(3), .int(3)], [.int(3), .int(4)],
    ])
    var aggregation = try Aggregation(
      aggregation([Tipb_Expr.aggregate(.sum, Tipb_Expr.column(1))], groupBy: [Tipb_Expr.column(0)]),
      input: sorted,
      columnCount: 2, streamed: true)
    #expect(try aggregation.next() == [.int(3), .int(1)])
    // Group 1 closed when the first row of group 3 arrived: the last row is not read yet.
    #expect(sorted.pulled == 3)
    #expect(try aggregation.next() == [.int(7), .int(3)])
    #expect(try aggregation.next() == nil)
  }

  @Test("without group-by: one row over the whole input, none over an empty one")
  func noGroupBy() throws {
    var whole = try Aggregation(
      aggregation(everyFunction, groupBy: []), input: input, columnCount: 2, streamed: false)
    #expect(
      try whole.all() == [[.int(5), .int(23), .int(5), .int(23), .int(-4), .int(10), .int(10)]])
    var empty = try Aggregation(
      aggregation(everyFunction, groupBy: []), input: Rows(rows: []), columnCount: 2,
      streamed: false)
    #expect(try empty.next() == nil)
  }

  @Test("sums: BIGINT past its range is an error 1690, reals and numeric strings add as DOUBLE")
  func sums() throws {
    let sum = aggregation([Tipb_Expr.aggregate(.sum, Tipb_Expr.column(0))], groupBy: [])
    var overflow = try Aggregation(
      sum, input: Rows(rows: [[.int(.max)], [.int(1)]]), columnCount: 1, streamed: false)
    #expect {
      try overflow.next()
    } throws: { error in
      (error as? CoprocessorError)?.code == CoprocessorError.outOfRangeCode
    }
    var huge = try Aggregation(
      sum, input: Rows(rows: [[.uint(.max)]]), columnCount: 1, streamed: false)
    #expect(throws: CoprocessorError.self) { try huge.next() }
    var reals = try Aggregation(
      sum,
      input: Rows(rows: [
        [.float(1.5)], [.bytes(Array(" 2.5e1xyz".utf8))], [.bytes(Array("x".utf8))],
      ]),
      columnCount: 1, streamed: false)
    #expect(try reals.next() == [.float(26.5)])
  }

  @Test("count of several arguments counts rows where none is NULL; unknown functions refused")
  func countAndRefusals() throws {
    var count = try Aggregation(
      aggregation(
        [Tipb_Expr.aggregate(.count, Tipb_Expr.column(0), Tipb_Expr.column(1))], groupBy: []),
      input: input,
      columnCount: 2, streamed: false)
    #expect(try count.next() == [.int(4)])
    #expect(throws: CoprocessorError.self) {
      try Aggregation(
        aggregation([Tipb_Expr.aggregate(.aggBitAnd, Tipb_Expr.column(0))], groupBy: []),
        input: input,
        columnCount: 2, streamed: false)
    }
    #expect(throws: CoprocessorError.self) {
      try Aggregation(
        aggregation(
          [Tipb_Expr.aggregate(.sum, Tipb_Expr.column(0), Tipb_Expr.column(1))], groupBy: []),
        input: input,
        columnCount: 2, streamed: false)
    }
    #expect(throws: CoprocessorError.self) {
      try Aggregation(
        aggregation([Tipb_Expr.aggregate(.max, Tipb_Expr.column(2))], groupBy: []), input: input,
        columnCount: 2, streamed: false)
    }
  }

  @Test("projection: one output column per expression")
  func projection() throws {
    var pb = Tipb_Projection()
    pb.exprs = [
      Tipb_Expr.call(.plusInt, Tipb_Expr.column(1), Tipb_Expr.constant(.int(1))),
      Tipb_Expr.column(0),
    ]
    var projection = try Projection(
      pb, input: Rows(rows: [[.int(1), .int(10)], [.null, .null]]), columnCount: 2)
    #expect(projection.columnCount == 2)
    #expect(try projection.all() == [[.int(11), .int(1)], [.null, .null]])
    #expect(throws: CoprocessorError.self) {
      try Projection(Tipb_Projection(), input: Rows(rows: []), columnCount: 2)
    }
  }
}
