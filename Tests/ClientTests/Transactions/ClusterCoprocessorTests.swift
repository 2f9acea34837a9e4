import Client
import Coprocessor
import Foundation
import Testing
import TinyKVProto
import TipbProto
import Transaction

/// Push-down requests from the client over the fake cluster, whose stores run the real
/// coprocessor over the shared storage clipped to each region: the table's rows lie in region 3
/// (`["n", )` in region space), split here under the table.
@Suite("Push-down requests across regions")
struct ClusterCoprocessorTests {
  private static let tableID: Int64 = 5

  private func rowKey(_ handle: Int64) -> Data {
    Data(TableKeys.record(table: Self.tableID, handle: handle))
  }

  /// The table's whole range, in user keys.
  private var tableRange: (start: Data, end: Data) {
    (
      Data(TableKeys.recordPrefix(table: Self.tableID)),
      Data(TableKeys.recordPrefix(table: Self.tableID + 1))
    )
  }

  /// `SELECT count(*), sum(v) FROM t5` as a DAG: scan (handle, v), then both aggregates.
  private func countAndSum() throws -> Data {
    var scan = Tipb_Executor()
    scan.tp = .typeTableScan
    scan.tblScan.tableID = Self.tableID
    scan.tblScan.columns = [
      Tipb_ColumnInfo(id: 1, type: .longlong, pkHandle: true),
      Tipb_ColumnInfo(id: 2, type: .longlong),
    ]
    var aggregation = Tipb_Executor()
    aggregation.tp = .typeAggregation
    aggregation.aggregation.aggFunc = [
      .aggregate(.count, .column(0)), .aggregate(.sum, .column(1)),
    ]
    var dag = Tipb_DAGRequest()
    dag.executors = [scan, aggregation]
    dag.outputOffsets = [0, 1]
    return try dag.serializedData()
  }

  /// Each region's (count, sum), in key order.
  private func partials(_ answers: [Data]) throws -> [(count: Int64, sum: Int64)] {
    try answers.map { answer in
      let select = try Tipb_SelectResponse(serializedBytes: answer)
      var reader = ByteReader(select.chunks.first?.rowsData ?? Data())
      guard case .int(let count) = try reader.datum(), case .int(let sum) = try reader.datum()
      else { throw CoprocessorError("an answer that is not (count, sum): \(select)") }
      return (count, sum)
    }
  }

  /// Commits rows `handles` (value 10 × handle) in one transaction.
  private func write(_ client: TestTxnClient, _ handles: ClosedRange<Int64>) async throws {
    try await client.run { txn in
      for handle in handles {
        txn.put(rowKey(handle), Data(try EncodedRow.encode([(2, .int(handle * 10))])))
      }
    }
  }

  @Test("each region answers its part; the client follows a split it has not seen")
  func regionByRegion() async throws {
    try await FakeCluster.runWithTxnClient { cluster, client, clock in
      cluster.split(region: 3, at: Memcomparable.encode(rowKey(11)), newID: 4, newLeader: 1)
      cluster.split(region: 4, at: Memcomparable.encode(rowKey(21)), newID: 5, newLeader: 2)
      try await write(client, 1...30)
      let request = try countAndSum()
      let first = try partials(
        try await client.coprocessor(
          type: 103, data: request, ranges: [tableRange], startTS: clock.timestamp()))
      #expect(first.map(\.count) == [10, 10, 10])
      #expect(first.map(\.sum) == [550, 1550, 2550])
      // A split the client's cache does not know: the old epoch is refused, the client
      // relocates and asks both halves.
      cluster.split(region: 5, at: Memcomparable.encode(rowKey(26)), newID: 6, newLeader: 3)
      let second = try partials(
        try await client.coprocessor(
          type: 103, data: request, ranges: [tableRange], startTS: clock.timestamp()))
      #expect(second.map(\.count) == [10, 10, 5, 5])
      #expect(second.reduce(0) { $0 + $1.sum } == 4650)
    }
  }

  @Test("a lock of an expired transaction is resolved and the region asked again")
  func resolvesLocks() async throws {
    try await FakeCluster.runWithTxnClient { cluster, client, clock in
      try await write(client, 1...5)
      // A writer that prewrote row 6 and vanished: its lock expires at once.
      var prewrite = Kvrpcpb_PrewriteRequest()
      var mutation = Kvrpcpb_Mutation()
      mutation.key = rowKey(6)
      mutation.value = Data(try EncodedRow.encode([(2, .int(60))]))
      prewrite.mutations = [mutation]
      prewrite.primaryLock = mutation.key
      prewrite.startVersion = clock.timestamp()
      prewrite.lockTtl = 1
      #expect(try await cluster.transactions.prewrite(prewrite).errors.isEmpty)
      try await Task.sleep(for: .milliseconds(5))  // past the lock's 1 ms TTL
      let answers = try await client.coprocessor(
        type: 103, data: try countAndSum(), ranges: [tableRange],
        startTS: clock.timestamp())
      #expect(try partials(answers).map(\.count) == [5])
      // The lock is gone: the abandoned write was rolled back.
      var get = Kvrpcpb_GetRequest()
      get.key = rowKey(6)
      get.version = clock.timestamp()
      let row = try await cluster.transactions.get(get)
      #expect(!row.hasError && row.notFound)
    }
  }

  @Test("a request the stores cannot run fails as rejected, with the store's reason")
  func rejected() async throws {
    try await FakeCluster.runWithTxnClient { _, client, clock in
      await #expect {
        try await client.coprocessor(
          type: 103, data: Data([0xFF, 0xFF]), ranges: [tableRange],
          startTS: clock.timestamp())
      } throws: { error in
        guard let error = error as? TxnClientError else { return false }
        return error.code == .rejected && error.message.contains("does not decode")
      }
    }
  }
}
