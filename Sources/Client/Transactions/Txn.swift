import Foundation
import TinyKVProto

/// One transaction of a `TxnClient`. Not thread-safe: use it from one task.
public final class Txn<Router: TxnRouting, Oracle: TimestampOracle> {
  public let client: TxnClient<Router, Oracle>
  public let startTS: UInt64
  /// Buffered writes, the last one per key.
  private var mutations: [Data: Kvrpcpb_Mutation] = [:]
  private var router: Router { client.router }

  init(client: TxnClient<Router, Oracle>, startTS: UInt64) {
    self.client = client
    self.startTS = startTS
  }

  /// The value of `key`: this transaction's own write if it has one, else the snapshot's.
  public func get(_ key: Data) async throws -> Data? {
    if let mutation = mutations[key] { return mutation.op == .put ? mutation.value : nil }
    var request = Kvrpcpb_GetRequest()
    request.key = key
    request.version = startTS
    for attempt in 0..<client.options.maxLockRetries {
      let response = try await router.get(request)
      try TxnClient<Router, Oracle>.checkRegion(response.hasRegionError, response.regionError)
      guard response.hasError else { return response.notFound ? nil : response.value }
      guard response.error.hasLocked else {
        throw TxnClientError(.aborted, "get: \(response.error)")
      }
      try await client.resolve(response.error.locked, attempt: attempt)
    }
    throw TxnClientError(.tooManyRetries, "get: key stayed locked")
  }

  /// Up to `limit` pairs of the snapshot from `start` (inclusive) to `end` (exclusive; empty: no
  /// bound), in key order, across as many regions as they span (this transaction's own writes
  /// are not merged in).
  public func scan(
    from start: Data, to end: Data = Data(), limit: UInt32
  ) async throws -> [(key: Data, value: Data)] {
    var pairs: [(key: Data, value: Data)] = []
    var next: Data? = start
    while let key = next, pairs.count < Int(limit), end.isEmpty || key.sorts(before: end) {
      let (part, after) = try await scanRegion(from: key, limit: limit - UInt32(pairs.count))
      for pair in part where end.isEmpty || pair.key.sorts(before: end) {
        pairs.append(pair)
      }
      next = after
    }
    return Array(pairs.prefix(Int(limit)))
  }

  /// Up to `limit` pairs of one region from `start`, its locks resolved; and where the next
  /// region starts.
  private func scanRegion(
    from start: Data, limit: UInt32
  ) async throws -> (pairs: [(key: Data, value: Data)], next: Data?) {
    var request = Kvrpcpb_ScanRequest()
    request.startKey = start
    request.limit = limit
    request.version = startTS
    for attempt in 0..<client.options.maxLockRetries {
      let (response, next) = try await router.scanRegion(request)
      try TxnClient<Router, Oracle>.checkRegion(response.hasRegionError, response.regionError)
      let locked = response.pairs.filter(\.hasError)
      if locked.isEmpty { return (response.pairs.map { ($0.key, $0.value) }, next) }
      for pair in locked {
        guard pair.error.hasLocked else { throw TxnClientError(.aborted, "scan: \(pair.error)") }
        try await client.resolve(pair.error.locked, attempt: attempt)
      }
    }
    throw TxnClientError(.tooManyRetries, "scan: keys stayed locked")
  }

  /// Buffers a write of `value` to `key`.
  public func put(_ key: Data, _ value: Data) {
    var mutation = Kvrpcpb_Mutation()
    mutation.op = .put
    mutation.key = key
    mutation.value = value
    mutations[key] = mutation
  }

  /// Buffers a delete of `key`.
  public func delete(_ key: Data) {
    var mutation = Kvrpcpb_Mutation()
    mutation.op = .del
    mutation.key = key
    mutations[key] = mutation
  }

  /// The buffered writes to keys from `start` (inclusive) to `end` (exclusive; empty: no
  /// bound), in key order: the value of a put, nil for a delete. What a reader merges over the
  /// snapshot's pairs to see its own writes (a SQL layer's union scan).
  public func bufferedWrites(from start: Data, to end: Data) -> [(key: Data, value: Data?)] {
    mutations.values
      .filter { !$0.key.sorts(before: start) && (end.isEmpty || $0.key.sorts(before: end)) }
      .sorted { $0.key.sorts(before: $1.key) }
      .map { ($0.key, $0.op == .put ? $0.value : nil) }
  }

  /// Whether the transaction has written nothing.
  public var isReadOnly: Bool { mutations.isEmpty }

  /// The keys written, in byte order; the first is the primary.
  public var keys: [Data] { mutations.keys.sorted { $0.lexicographicallyPrecedes($1) } }

  /// The two phases over this transaction's writes.
  private var twoPhase: TwoPhaseCommit<Router, Oracle> {
    TwoPhaseCommit(client: client, startTS: startTS, primary: keys.first, mutations: mutations)
  }

  /// Phase one: locks every written key, the primary's group first, then the other groups in
  /// parallel. Resolves locks in the way, retrying.
  /// - Throws: `conflict` if a key was written since the start, `aborted` if the transaction was
  ///   rolled back, `tooManyRetries` if locks stayed in the way.
  public func prewrite() async throws {
    try await twoPhase.prewrite(keys)
  }

  /// Phase two, after `prewrite`: commits the primary (the decision point), then the other keys,
  /// grouped by region, in parallel.
  /// - Returns: the commit timestamp.
  /// - Throws: `aborted` if the transaction was rolled back before its primary committed,
  ///   `undetermined` if the primary's commit got no answer.
  @discardableResult
  public func commitPrewritten() async throws -> UInt64 {
    try await twoPhase.commit(keys)
  }

  /// Prewrites and commits the buffered writes; if the prewrite fails, rolls back what it left.
  /// - Returns: the commit timestamp (the start timestamp for a read-only transaction).
  @discardableResult
  public func commit() async throws -> UInt64 {
    do {
      try await prewrite()
    } catch {
      try? await rollback()
      throw error
    }
    return try await commitPrewritten()
  }

  /// Rolls back whatever a prewrite left, region by region.
  public func rollback() async throws {
    try await twoPhase.rollback(keys)
  }
}
