import Coprocessor
import Foundation
import Testing

@testable import SQLEngine

/// Looking at the store under the SQL layer, for the DDL tests: table ids, key counts, index
/// entries.
enum DDLTestStore {
  /// The id of table `table` of database `database`.
  static func tableID(_ db: SQLTestDatabase, _ database: String, _ table: String) async throws
    -> Int64
  {
    try await info(db, database, table).id
  }

  /// The definition of table `table` of database `database`, as the latest catalog has it.
  static func info(_ db: SQLTestDatabase, _ database: String, _ table: String) async throws
    -> TableInfo
  {
    let txn = try await db.domain.store.begin()
    return try #require(await db.domain.infoSchema(for: txn).table(database, table))
  }

  /// How many keys (rows and index entries) table `table` has in the store.
  static func keyCount(_ db: SQLTestDatabase, table: Int64) async throws -> Int {
    let range = TableCodec.tableRange(table)
    let txn = try await db.domain.store.begin()
    return try await KeyRanges.scanAll(txn, from: range.start, to: range.end).count
  }

  /// Every entry of index `index` of `table`: (indexed values, handle), sorted.
  static func entries(_ db: SQLTestDatabase, _ table: TableInfo, _ index: IndexInfo)
    async throws -> [(values: [Datum], handle: Int64)]
  {
    let range = TableCodec.indexRange(table.id, index.id)
    let txn = try await db.domain.store.begin()
    return try await KeyRanges.scanAll(txn, from: range.start, to: range.end).map { pair in
      let values = try TableKeys.decodeIndex(pair.key).values
      if values.count > index.columns.count {
        guard case .int(let handle) = values.last! else { throw SQLError.internalError("handle") }
        return (Array(values.dropLast()), handle)
      }
      return (values, try TableCodec.handle(fromIndexValue: pair.value))
    }
  }

  /// What index `index` of `table` should hold for its rows: (indexed values, handle), in the
  /// order of `entries`.
  static func expectedEntries(_ db: SQLTestDatabase, _ table: TableInfo, _ index: IndexInfo)
    async throws -> [(values: [Datum], handle: Int64)]
  {
    let txn = try await db.domain.store.begin()
    var expected: [(key: Data, values: [Datum], handle: Int64)] = []
    try await TableData.forEachRow(of: table, in: txn) { handle, row in
      let key = TableCodec.indexEntry(table, index, row: row, handle: handle).key
      expected.append((key, index.columns.map { row[$0.offset] }, handle))
    }
    return expected.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map {
      ($0.values, $0.handle)
    }
  }
}
