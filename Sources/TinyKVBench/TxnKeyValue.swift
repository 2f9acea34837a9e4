import Client
import Foundation

/// The raw workloads' operations, each as one transaction, so that a raw workload (YCSB) runs
/// over transactions with the same code (`tinykv-bench ycsb --txn`).
///
/// - get: a read-only transaction (a start timestamp, one snapshot read; nothing to commit);
/// - put: a read-write transaction (read the key, write the new value, two-phase commit),
///   retried on conflicts as `TxnClient.run` does;
/// - delete: a transaction deleting the key;
/// - scan: a read-only transaction scanning its snapshot.
///
/// Keys get `TxnBench.txnKey`'s prefix, apart from the raw workloads' keys; the column family
/// is ignored (transactions have their own).
struct TxnKeyValue<Router: TxnRouting, Oracle: TimestampOracle>: RawKeyValueClient {
  let client: TxnClient<Router, Oracle>

  /// Where the prefixed key space ends: the bound of a scan with no end.
  private static var prefixEnd: Data { Data("u".utf8) }

  func get(_ key: Data, cf: String) async throws -> Data? {
    try await client.begin().get(TxnBench.txnKey(key))
  }

  func put(_ key: Data, _ value: Data, cf: String) async throws {
    let key = TxnBench.txnKey(key)
    try await client.run { txn in
      _ = try await txn.get(key)
      txn.put(key, value)
    }
  }

  func delete(_ key: Data, cf: String) async throws {
    let key = TxnBench.txnKey(key)
    try await client.run { txn in txn.delete(key) }
  }

  func scan(from start: Data, to end: Data, limit: UInt32, cf: String) async throws -> [(
    key: Data, value: Data
  )] {
    let pairs = try await client.begin().scan(
      from: TxnBench.txnKey(start), to: end.isEmpty ? Self.prefixEnd : TxnBench.txnKey(end),
      limit: limit)
    return pairs.map { (key: $0.key.dropFirst(), value: $0.value) }
  }
}
