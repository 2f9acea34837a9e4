import Synchronization

/// What every session of one SQL server shares: the store, the latest catalog it has read,
/// the row id allocators, and the bookkeeping of online schema changes (TiDB's `Domain`).
public final class Domain: Sendable {
  public let store: any KVStore
  private let cached = Mutex<InfoSchema?>(nil)
  let autoIDs: AutoIDAllocator
  let commits = CommitRegistry()

  /// A domain over `store`; row ids are reserved `idBatch` at a time.
  public init(store: any KVStore, idBatch: Int64 = 1000) {
    self.store = store
    autoIDs = AutoIDAllocator(batch: idBatch)
  }

  /// The catalog as `txn` sees it: the cached one if its version is the snapshot's, else
  /// loaded from the snapshot (and cached if newer).
  func infoSchema(for txn: any KVTransaction) async throws -> InfoSchema {
    let version = try await Meta(txn: txn).schemaVersion()
    if let schema = cached.withLock({ $0 }), schema.version == version { return schema }
    let schema = try await InfoSchema.load(txn)
    cached.withLock { current in
      if current == nil || current!.version < schema.version { current = schema }
    }
    return schema
  }

  /// Forgets the cached catalog (after a DDL this server ran).
  func invalidate() { cached.withLock { $0 = nil } }
}
