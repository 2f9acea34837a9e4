import Foundation

extension Session {
  /// How many times an autocommit statement runs again after a write conflict (TiDB retries
  /// them too; an explicit transaction's conflict goes to the application).
  static let autocommitRetries = 10

  /// Runs `body` in the open transaction (its writes kept only if it succeeds), or, under
  /// autocommit, in a transaction of its own that commits at once and runs again on a write
  /// conflict.
  func inTransaction(
    _ body: (ExecutionContext) async throws -> StatementResult
  ) async throws -> StatementResult {
    if transaction == nil && !autocommit {
      transaction = OpenTransaction(txn: try await domain.store.begin(), explicit: false)
    }
    if let open = transaction {
      let context = try await ExecutionContext(session: self, txn: open.txn)
      let result = try await body(context)
      context.writes.flush()
      transaction?.written.merge(context.written) { old, _ in old }
      if transaction?.schemaVersion == nil { transaction?.schemaVersion = context.schema.version }
      warnings = context.warnings
      return result
    }
    var attempt = 0
    while true {
      attempt += 1
      let txn = try await domain.store.begin()
      do {
        let context = try await ExecutionContext(session: self, txn: txn)
        let result = try await body(context)
        if !context.writes.isEmpty {
          context.writes.flush()
          try await commit(txn, written: context.written, schemaVersion: context.schema.version)
        }
        warnings = context.warnings
        return result
      } catch  where SessionErrors.isRetryable(error) && attempt < Self.autocommitRetries {
        try await Task.sleep(for: .milliseconds(Int64(2 << min(attempt, 6))))
      }
    }
  }

  /// Commits the open transaction, if any.
  func commitOpen() async throws {
    guard let open = transaction else { return }
    transaction = nil
    guard !open.txn.isReadOnly else { return }
    try await commit(open.txn, written: open.written, schemaVersion: open.schemaVersion ?? 0)
  }

  /// Commits `txn` unless a table it wrote changed its definition since the transaction planned
  /// with it (then 8028, retryable); while committing, an online schema change waits for it.
  func commit(
    _ txn: any KVTransaction, written: [Int64: Int64], schemaVersion: Int64
  ) async throws {
    let token = domain.commits.begin(written)
    defer { domain.commits.end(token) }
    if !written.isEmpty {
      try await domain.checkRevisions(written, plannedWith: schemaVersion)
    }
    do {
      _ = try await txn.commit()
    } catch {
      throw SessionErrors.sqlError(error)
    }
  }
}

extension Domain {
  /// Throws 8028 if a table in `revisions` (table id → revision) is defined differently now.
  func checkRevisions(_ revisions: [Int64: Int64], plannedWith version: Int64) async throws {
    let txn = try await store.begin()
    guard try await Meta(txn: txn).schemaVersion() != version else { return }
    let schema = try await infoSchema(for: txn)
    for (table, revision) in revisions where schema.table(id: table)?.table.revision != revision {
      throw SQLError.schemaChanged
    }
  }
}
