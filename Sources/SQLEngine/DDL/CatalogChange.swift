/// One DDL step as a transaction over the catalog: it reads the catalog in the transaction's
/// snapshot, changes it, bumps the schema version and commits; if another DDL committed
/// meanwhile (both write the schema version) it runs again on the new catalog.
struct CatalogChange {
  let domain: Domain

  /// Runs `body` in a catalog transaction and commits it, retrying on conflicts.
  /// - Returns: what `body` returned.
  @discardableResult
  func run<T>(_ body: (Meta, InfoSchema) async throws -> T) async throws -> T {
    var attempt = 0
    while true {
      attempt += 1
      let txn = try await domain.store.begin()
      let result: T
      do {
        let schema = try await InfoSchema.load(txn)
        result = try await body(Meta(txn: txn), schema)
        try await Meta(txn: txn).bumpSchemaVersion()
        _ = try await txn.commit()
      } catch let error as SQLError {
        throw error
      } catch {
        try? await txn.rollback()
        guard attempt < 20, SessionErrors.isRetryable(error) else {
          throw SessionErrors.sqlError(error)
        }
        try await Task.sleep(for: .milliseconds(Int64(5 * attempt)))
        continue
      }
      domain.invalidate()
      return result
    }
  }
}
