import Client
import Foundation

/// A `KVStore` over the project's transactional client: a cluster (`ClusterTxnRouter`), one
/// store over gRPC (`GRPCTxnRPC`) or one in this process (`LocalStore`).
public struct ClientStore<Router: CoprocessorRouting, Oracle: TimestampOracle>: KVStore {
  public let client: TxnClient<Router, Oracle>

  /// A store reached through `client`.
  public init(client: TxnClient<Router, Oracle>) { self.client = client }

  public func begin() async throws -> any KVTransaction {
    ClientTransaction(try await client.begin())
  }

  public func timestamp() async throws -> UInt64 { try await client.oracle.timestamp() }
}

/// A client transaction as the SQL layer uses it.
final class ClientTransaction<Router: CoprocessorRouting, Oracle: TimestampOracle>: KVTransaction {
  let txn: Txn<Router, Oracle>

  init(_ txn: Txn<Router, Oracle>) { self.txn = txn }

  var startTS: UInt64 { txn.startTS }
  var isReadOnly: Bool { txn.isReadOnly }

  func get(_ key: Data) async throws -> Data? { try await txn.get(key) }

  func scan(from start: Data, to end: Data, limit: Int) async throws -> [(key: Data, value: Data)] {
    try await txn.scan(from: start, to: end, limit: UInt32(clamping: limit))
  }

  func bufferedWrites(from start: Data, to end: Data) -> [(key: Data, value: Data?)] {
    txn.bufferedWrites(from: start, to: end)
  }

  func put(_ key: Data, _ value: Data) { txn.put(key, value) }
  func delete(_ key: Data) { txn.delete(key) }

  func coprocessor(dag: Data, ranges: [(start: Data, end: Data)]) async throws -> [Data] {
    // 103: a DAG request (`CoprocessorHandler.dagRequestType`).
    try await txn.client.coprocessor(type: 103, data: dag, ranges: ranges, startTS: txn.startTS)
  }

  func commit() async throws -> UInt64 { try await txn.commit() }
  func rollback() async throws { try await txn.rollback() }
}
