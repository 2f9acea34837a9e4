/// One index's online schema change (F1's protocol, as TinySQL's `onCreateIndex` and
/// `onDropIndex` run it): the index moves through the states one catalog step at a time, each
/// step bumping the table's revision and then waiting until no commit made under the previous
/// revision is in flight, so that the writes committing at any moment use two adjacent states
/// at most.
///
/// - Adding: `deleteOnly` (writes delete the index's entries) → `writeOnly` (writes keep them)
///   → `writeReorganization` (the rows already there are backfilled, `IndexBackfill`) →
///   `public` (statements read it).
/// - Dropping (`retire`): `public` → `writeOnly` → `deleteOnly` → gone, then its entries are
///   deleted. An index that failed to be added goes the same way from where it stands.
///
/// Each step checks the state it moves from, so two statements changing one index at once
/// make one of them fail instead of tangling the states.
struct OnlineIndex: Sendable {
  let domain: Domain
  let tableID: Int64
  let indexID: Int64

  /// Takes an index added in `deleteOnly` to `public` (or, without `publish`, to
  /// `writeReorganization`, for the caller to publish), backfilled; if that fails, the index
  /// is taken out again (`abandon`) and the error thrown.
  /// - Parameter madeNotNull: the columns the step that added the index made NOT NULL (a
  ///   primary key's), to make NULL-able again if it fails.
  /// - Throws: 1062 for a unique index over duplicates, 1138 for a primary key over NULLs,
  ///   8214 if the table or index went away meanwhile.
  func build(madeNotNull: Set<Int64> = [], publish: Bool = true) async throws {
    do {
      try await move(from: .deleteOnly, to: .writeOnly)
      try await move(from: .writeOnly, to: .writeReorganization)
      try await IndexBackfill(domain: domain, tableID: tableID, indexID: indexID).run()
      if publish { try await move(from: .writeReorganization, to: .public) }
    } catch {
      await abandon(restoringNull: madeNotNull)
      throw error
    }
  }

  /// Takes the index out from whatever state it is in (`public` → `writeOnly` →
  /// `deleteOnly` → gone), then deletes its entries. Nothing happens if the table or the
  /// index is gone.
  /// - Parameter restoringNull: columns to make NULL-able again when the index goes.
  func retire(restoringNull columns: Set<Int64> = []) async throws {
    while true {
      let changed = try await step { table in
        guard let offset = table.indices.firstIndex(where: { $0.id == indexID }) else {
          return false
        }
        switch table.indices[offset].state {
        case .public:
          table.indices[offset].state = .writeOnly
        case .writeOnly, .writeReorganization, .deleteReorganization:
          table.indices[offset].state = .deleteOnly
        case .deleteOnly:
          table.indices.remove(at: offset)
          for place in table.columns.indices where columns.contains(table.columns[place].id) {
            table.columns[place].type.notNull = false
          }
        }
        return true
      }
      guard changed == true else { break }
    }
    let range = TableCodec.indexRange(tableID, indexID)
    try await TableData.delete(from: range.start, to: range.end, in: domain.store)
  }

  /// `retire` in a task of its own, so that a cancelled statement still takes its half-built
  /// index out; if that fails too (the store is unreachable), the index stays in a non-public
  /// state, unread, for a DROP INDEX to take out.
  func abandon(restoringNull columns: Set<Int64>) async {
    let index = self
    await Task { try? await index.retire(restoringNull: columns) }.value
  }

  /// Moves the index from state `from` to `to`.
  /// - Throws: 8214 if the table or the index is gone or in another state.
  private func move(from: SchemaState, to: SchemaState) async throws {
    let moved = try await step { table in
      guard let offset = table.indices.firstIndex(where: { $0.id == indexID }),
        table.indices[offset].state == from
      else { return false }
      table.indices[offset].state = to
      return true
    }
    guard moved == true else {
      throw SQLError.cancelledDDL("the index was dropped or changed by another statement")
    }
  }

  /// One catalog step on the table: `change` says whether it changed the definition; if so
  /// the revision is bumped and the commits under the previous one are waited for.
  /// - Returns: what `change` returned; nil if the table is gone.
  private func step(_ change: (inout TableInfo) throws -> Bool) async throws -> Bool? {
    let result = try await CatalogChange(domain: domain).run {
      meta, schema -> (changed: Bool, revision: Int64)? in
      guard let (database, current) = schema.table(id: tableID) else { return nil }
      var table = current
      guard try change(&table) else { return (false, current.revision) }
      table.revision += 1
      try meta.put(table, in: database.id)
      return (true, table.revision)
    }
    guard let result else { return nil }
    if result.changed {
      try await domain.commits.waitForCommits(table: tableID, before: result.revision)
    }
    return result.changed
  }
}

extension SQLError {
  /// A DDL that stopped because what it changed went away meanwhile (TiDB's 8214).
  static func cancelledDDL(_ reason: String) -> SQLError {
    SQLError(code: 8214, sqlState: "HY000", message: "Cancelled DDL job: \(reason)")
  }
}
