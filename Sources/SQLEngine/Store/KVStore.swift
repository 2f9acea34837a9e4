import Foundation

/// The transactional key-value store under the SQL layer: a cluster, a standalone store over
/// gRPC, or a store in the same process. Tables, indexes and the catalog all live in it.
public protocol KVStore: Sendable {
  /// Starts a snapshot-isolated transaction at a fresh timestamp.
  func begin() async throws -> any KVTransaction
  /// A fresh timestamp, later than every transaction committed so far.
  func timestamp() async throws -> UInt64
}

/// One transaction of a `KVStore`: reads from its snapshot (merged with its own writes where
/// the caller asks), writes buffered until `commit`. Used from one task at a time.
public protocol KVTransaction: AnyObject {
  /// The snapshot's timestamp.
  var startTS: UInt64 { get }
  /// Whether nothing has been written.
  var isReadOnly: Bool { get }
  /// The value of `key`: this transaction's own write if it has one, else the snapshot's.
  func get(_ key: Data) async throws -> Data?
  /// The snapshot's pairs from `start` to `end` (exclusive), at most `limit`, without this
  /// transaction's own writes.
  func scan(from start: Data, to end: Data, limit: Int) async throws -> [(key: Data, value: Data)]
  /// This transaction's writes from `start` to `end`: a value for a put, nil for a delete.
  func bufferedWrites(from start: Data, to end: Data) -> [(key: Data, value: Data?)]
  /// Buffers a write.
  func put(_ key: Data, _ value: Data)
  /// Buffers a delete.
  func delete(_ key: Data)
  /// A push-down request (a `tipb.DAGRequest`) over `ranges` in this snapshot: each region's
  /// answer in key order.
  func coprocessor(dag: Data, ranges: [(start: Data, end: Data)]) async throws -> [Data]
  /// Commits the writes. - Returns: the commit timestamp.
  func commit() async throws -> UInt64
  /// Rolls back whatever a failed commit left.
  func rollback() async throws
}
