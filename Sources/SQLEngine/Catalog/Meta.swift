import Foundation

/// The catalog as it lives in the store, read and written inside a transaction: under keys
/// starting with `m` (table data starts with `t`), as JSON, like TiDB's meta layer.
///
/// - `mSchemaVersion`: bumped by every DDL; a session reloads its schema when it changes.
/// - `mNextGlobalID`: the last database/table/index id handed out.
/// - `mDB:<id>`: a `DatabaseInfo`; `mTable:<db id><table id>`: a `TableInfo`.
/// - `mAutoID:<table id>`: the last row id / AUTO_INCREMENT value allocated for the table.
///
/// Ids in keys are 8-byte big-endian, so a database's tables are one key range. Two DDLs
/// running at once both write `mSchemaVersion`: one of them fails its commit and retries.
struct Meta {
  let txn: any KVTransaction

  static let schemaVersionKey = Data("mSchemaVersion".utf8)
  static let nextIDKey = Data("mNextGlobalID".utf8)
  static let databasePrefix = Data("mDB:".utf8)
  static let tablePrefix = Data("mTable:".utf8)
  static let autoIDPrefix = Data("mAutoID:".utf8)

  static func databaseKey(_ id: Int64) -> Data { databasePrefix + bigEndian(id) }
  static func tablesPrefix(_ database: Int64) -> Data { tablePrefix + bigEndian(database) }
  static func tableKey(_ database: Int64, _ table: Int64) -> Data {
    tablesPrefix(database) + bigEndian(table)
  }
  static func autoIDKey(_ table: Int64) -> Data { autoIDPrefix + bigEndian(table) }

  // MARK: Counters

  /// The schema version in this transaction's snapshot (0 before the first DDL).
  func schemaVersion() async throws -> Int64 { try await counter(Self.schemaVersionKey) }

  /// Bumps the schema version. - Returns: the new version.
  @discardableResult
  func bumpSchemaVersion() async throws -> Int64 {
    try await advance(Self.schemaVersionKey, by: 1)
  }

  /// A fresh id for a database, table or index.
  func allocateID() async throws -> Int64 { try await advance(Self.nextIDKey, by: 1) }

  /// Reserves `count` values of table `table`'s row id counter.
  /// - Returns: the last value reserved; the first is `last - count + 1`.
  func reserveAutoIDs(table: Int64, count: Int64, base: Int64) async throws -> Int64 {
    let key = Self.autoIDKey(table)
    let current = max(try await counter(key), base - 1)
    let last = current.addingReportingOverflow(count)
    guard !last.overflow else { throw SQLError.internalError("row ids of table \(table) ran out") }
    txn.put(key, Self.bigEndian(last.partialValue))
    return last.partialValue
  }

  /// Moves table `table`'s counter to at least `value` (an explicit AUTO_INCREMENT value).
  func rebaseAutoID(table: Int64, to value: Int64) async throws {
    let key = Self.autoIDKey(table)
    if try await counter(key) < value { txn.put(key, Self.bigEndian(value)) }
  }

  // MARK: Objects

  func databases() async throws -> [DatabaseInfo] {
    try await objects(under: Self.databasePrefix)
  }

  func tables(in database: Int64) async throws -> [TableInfo] {
    try await objects(under: Self.tablesPrefix(database))
  }

  func put(_ database: DatabaseInfo) throws {
    txn.put(Self.databaseKey(database.id), try JSONEncoder().encode(database))
  }

  func put(_ table: TableInfo, in database: Int64) throws {
    txn.put(Self.tableKey(database, table.id), try JSONEncoder().encode(table))
  }

  func deleteDatabase(_ id: Int64) { txn.delete(Self.databaseKey(id)) }

  func deleteTable(_ id: Int64, in database: Int64) {
    txn.delete(Self.tableKey(database, id))
    txn.delete(Self.autoIDKey(id))
  }

  // MARK: Encoding

  private func objects<T: Decodable>(under prefix: Data) async throws -> [T] {
    let pairs = try await KeyRanges.scanAll(txn, from: prefix, to: KeyRanges.prefixEnd(prefix))
    let decoder = JSONDecoder()
    return try pairs.map { try decoder.decode(T.self, from: $0.value) }
  }

  private func counter(_ key: Data) async throws -> Int64 {
    guard let value = try await txn.get(key) else { return 0 }
    guard value.count == 8 else { throw SQLError.internalError("a corrupt counter under \(key)") }
    return value.reduce(Int64(0)) { $0 << 8 | Int64($1) }
  }

  private func advance(_ key: Data, by step: Int64) async throws -> Int64 {
    let next = try await counter(key) + step
    txn.put(key, Self.bigEndian(next))
    return next
  }

  static func bigEndian(_ value: Int64) -> Data {
    withUnsafeBytes(of: value.bigEndian) { Data($0) }
  }
}
