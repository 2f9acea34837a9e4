import SQLParser

/// One output column of a plan node: where a column reference can find it.
struct PlanColumn {
  /// The table (or alias, or derived table) it belongs to; nil for a computed column.
  var table: String?
  /// The database of its table.
  var database: String?
  /// The name a reference matches (the alias for `AS`).
  var name: String
  /// The column's type, for result sets and for choosing signatures.
  var type: FieldType
  /// Not visible to `*` and to name resolution (the handle column of a table scan).
  var hidden = false
  /// Found only by a qualified reference and not by `*` (a column a `USING` join merged).
  var qualifiedOnly = false
  /// The underlying table's and column's names, for result set metadata.
  var originalTable = ""
  var originalName = ""

  var kind: ValueKind { type.kind }
}

/// The columns of a plan node's rows, in order.
struct PlanSchema {
  var columns: [PlanColumn]

  /// The offset of the column `reference` names; nil if none does.
  /// - Throws: 1052 if several do.
  func resolve(_ reference: ColumnName, clause: String) throws(SQLError) -> Int? {
    let name = reference.name.lowercased()
    let table = reference.table?.name.lowercased()
    let database = reference.table?.schema?.lowercased()
    var found: Int?
    for (offset, column) in columns.enumerated() where !column.hidden {
      guard column.name.lowercased() == name else { continue }
      if column.qualifiedOnly && table == nil { continue }
      if let table, column.table?.lowercased() != table { continue }
      if let database, column.database?.lowercased() != database { continue }
      if found != nil {
        throw SQLError.ambiguousColumn(reference.name, in: clause)
      }
      found = offset
    }
    return found
  }

  /// The visible columns of table `table` (all visible ones for nil): what `*` expands to.
  func star(_ table: TableName?) -> [Int] {
    columns.indices.filter { offset in
      let column = columns[offset]
      guard !column.hidden && !column.qualifiedOnly else { return false }
      guard let table else { return true }
      return column.table?.lowercased() == table.name.lowercased()
        && (table.schema == nil || column.database?.lowercased() == table.schema!.lowercased())
    }
  }
}
