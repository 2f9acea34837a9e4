import Coprocessor
import SQLParser

extension Session {
  /// INSERT and REPLACE: rows from VALUES, SET or a query; defaults and AUTO_INCREMENT filled
  /// in; each value fitted to its column (strict mode errors); duplicates refused (1062),
  /// skipped (IGNORE), replaced (REPLACE) or updated (ON DUPLICATE KEY UPDATE).
  func runInsert(_ insert: InsertStatement, _ context: ExecutionContext) async throws
    -> StatementResult
  {
    let (database, table) = try context.table(insert.table)
    let writer = TableWriter(txn: context.txn, table: table, schema: database)
    var conversion = ColumnConversion(strict: variables.strict && !insert.ignore)
    let targets: [ColumnInfo]
    var sourceRows: [[Expr]] = []
    var queryRows: [Row]?
    switch insert.source {
    case .values(let rows):
      targets = try insertColumns(insert.columns, table)
      sourceRows = rows
    case .set(let assignments):
      targets = try assignments.map { assignment in
        guard let column = table.column(named: assignment.column.name) else {
          throw SQLError.unknownColumn(assignment.column.name, in: "field list")
        }
        return column
      }
      sourceRows = [assignments.map(\.value)]
    case .query(let query):
      targets = try insertColumns(insert.columns, table)
      let planned = try await QueryPlanner(context: context).plan(query)
      guard planned.schema.columns.count == targets.count else {
        throw SQLError.columnCountMismatch(row: 1)
      }
      queryRows = try await planned.executor.drain()
    }
    let constants = ExpressionCompiler(
      schema: PlanSchema(columns: []), session: context, clause: "field list")
    var affected: UInt64 = 0
    var duplicates = 0
    var firstAutoID: UInt64?
    let rowCount = queryRows?.count ?? sourceRows.count
    for index in 0..<rowCount {
      let number = index + 1
      // The values given, by column offset.
      var given: [Int: Datum] = [:]
      if let queryRows {
        for (column, value) in zip(targets, queryRows[index]) { given[column.offset] = value }
      } else {
        guard sourceRows[index].count == targets.count else {
          throw SQLError.columnCountMismatch(row: number)
        }
        for (column, expr) in zip(targets, sourceRows[index]) {
          if case .defaultValue = expr { continue }
          let compiled = try await constants.compile(expr)
          given[column.offset] = try compiled.evaluator(width: 0).value([])
        }
      }
      var row = try fill(table, given, row: number, conversion: &conversion)
      if let column = table.autoIncrementColumn {
        let value = row[column.offset]
        if value == .null || value == .int(0) || value == .uint(0) {
          let id = try await domain.autoIDs.next(table: table, store: domain.store)
          row[column.offset] = column.type.unsigned ? .uint(UInt64(id)) : .int(id)
          if firstAutoID == nil { firstAutoID = UInt64(id) }
        } else if case .int(let explicit) = value {
          try await domain.autoIDs.rebase(table: table, to: explicit, store: domain.store)
        } else if case .uint(let explicit) = value {
          try await domain.autoIDs.rebase(
            table: table, to: Int64(clamping: explicit), store: domain.store)
        }
      }
      let handle = try await writer.handle(for: row, domain: domain)
      if let conflict = try await writer.conflict(for: row, handle: handle) {
        if insert.isReplace {
          affected += try await replace(row, handle: handle, writer: writer)
          continue
        }
        if !insert.onDuplicateKeyUpdate.isEmpty {
          affected += try await updateDuplicate(
            insert.onDuplicateKeyUpdate, inserting: row, existing: conflict.handle,
            writer: writer, context: context, conversion: &conversion, number: number)
          continue
        }
        let error = writer.duplicateError(row: row, handle: handle, key: conflict.key)
        guard insert.ignore else { throw error }
        duplicates += 1
        conversion.warnings.append(
          SQLWarning(level: "Warning", code: error.code, message: error.message))
        continue
      }
      try writer.write(row, handle: handle)
      affected += 1
    }
    context.wrote(table)
    context.warnings += conversion.warnings
    if let firstAutoID { lastInsertID = firstAutoID }
    let info =
      rowCount > 1 || queryRows != nil
      ? "Records: \(rowCount)  Duplicates: \(duplicates)  Warnings: \(context.warnings.count)" : ""
    return .ok(affectedRows: affected, lastInsertID: firstAutoID ?? 0, info: info)
  }

  /// The columns an INSERT names, or every public column.
  private func insertColumns(_ names: [String]?, _ table: TableInfo) throws -> [ColumnInfo] {
    guard let names else { return table.publicColumns }
    var seen: Set<String> = []
    return try names.map { name in
      guard let column = table.column(named: name) else {
        throw SQLError.unknownColumn(name, in: "field list")
      }
      guard seen.insert(column.name.lowercased()).inserted else {
        throw SQLError(
          code: 1110, sqlState: "42000", message: "Column '\(column.name)' specified twice")
      }
      return column
    }
  }

  /// A whole row: the given values fitted to their columns, defaults for the others.
  func fill(
    _ table: TableInfo, _ given: [Int: Datum], row number: Int,
    conversion: inout ColumnConversion
  ) throws -> Row {
    try table.columns.map { column in
      if let value = given[column.offset] {
        // NULL for an AUTO_INCREMENT column asks for the next value.
        if value == .null && column.autoIncrement { return .null }
        return try conversion.convert(value, to: column, row: number)
      }
      if column.autoIncrement { return .null }
      if let value = column.defaultValue {
        return try conversion.convert(value.datum, to: column, row: number)
      }
      if column.type.notNull {
        // A column without a default: strict mode refuses, else the type's zero value.
        if conversion.strict && column.state == .public { throw SQLError.noDefault(column.name) }
        return try conversion.convert(Self.zero(column.type), to: column, row: number)
      }
      return .null
    }
  }

  static func zero(_ type: FieldType) -> Datum {
    switch type.kind {
    case .int: type.unsigned ? .uint(0) : .int(0)
    case .real: .float(0)
    case .string: .bytes([])
    }
  }

  /// REPLACE: deletes every row the new one conflicts with, then writes it.
  /// - Returns: the affected rows (MySQL counts each deleted row and the inserted one).
  private func replace(_ row: Row, handle: Int64, writer: TableWriter) async throws -> UInt64 {
    var affected: UInt64 = 1
    while let conflict = try await writer.conflict(for: row, handle: handle) {
      guard
        let value = try await writer.txn.get(TableCodec.rowKey(writer.table.id, conflict.handle))
      else {
        throw SQLError.internalError("an index entry without its row in \(writer.table.name)")
      }
      let old = try TableCodec.decodeRow(writer.table, handle: conflict.handle, value: value)
      writer.delete(old, handle: conflict.handle)
      affected += 1
    }
    try writer.write(row, handle: handle)
    return affected
  }

  /// ON DUPLICATE KEY UPDATE: the existing row updated by the assignments, where `VALUES(c)`
  /// is the value the insert would have written. - Returns: 2 if the row changed, else 0.
  private func updateDuplicate(
    _ assignments: [Assignment], inserting new: Row, existing handle: Int64,
    writer: TableWriter, context: ExecutionContext, conversion: inout ColumnConversion,
    number: Int
  ) async throws -> UInt64 {
    let table = writer.table
    guard let value = try await writer.txn.get(TableCodec.rowKey(table.id, handle)) else {
      throw SQLError.internalError("an index entry without its row in \(table.name)")
    }
    let old = try TableCodec.decodeRow(table, handle: handle, value: value)
    // Expressions read the old row's columns, then the new row's (for VALUES(c)).
    let access = TableAccess(
      table: table, database: writer.schema, alias: table.name,
      path: .handles([]), dirty: false)
    var columns = access.schema.columns
    columns += table.columns.map { PlanColumn(name: $0.name, type: $0.type, hidden: true) }
    var compiler = ExpressionCompiler(
      schema: PlanSchema(columns: columns), session: context, clause: "field list")
    let width = access.schema.columns.count
    for column in table.columns {
      compiler.replacements[.values(ColumnName(name: column.name))] = width + column.offset
    }
    var updated = old
    for assignment in assignments {
      guard let column = table.column(named: assignment.column.name) else {
        throw SQLError.unknownColumn(assignment.column.name, in: "field list")
      }
      let row = updated + [.int(handle)] + new
      let value = try await compiler.compile(assignment.value).evaluator(width: row.count).value(
        row)
      updated[column.offset] = try conversion.convert(value, to: column, row: number)
    }
    guard updated.map(GroupKey.init) != old.map(GroupKey.init) else { return 0 }
    _ = try await writer.update(old: old, new: updated, handle: handle)
    return 2
  }
}
