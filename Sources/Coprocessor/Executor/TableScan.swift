import TipbProto

/// Reads a table's rows: each pair of the source is a row key and its row value, decoded into
/// the requested columns (the handle column from the key, absent columns from their defaults).
public struct TableScan<Source: KeyValueSource>: RowExecutor {
  private var source: Source
  private let columns: [Tipb_ColumnInfo]
  /// Whether every requested column is the handle, so the row value need not be decoded (a
  /// `count(*)` asks for the handle alone).
  private let handleOnly: Bool

  /// The rows of `source` (row keys and values in the scan's order), as `scan.columns`.
  public init(_ scan: Tipb_TableScan, source: Source) {
    self.source = source
    self.columns = scan.columns
    handleOnly = !Self.readsValues(scan)
  }

  /// Whether `scan` needs the row values, not just the keys: unless it asks for the handle
  /// alone.
  public static func readsValues(_ scan: Tipb_TableScan) -> Bool {
    !scan.columns.allSatisfy { EncodedRow.handle(0, as: $0) != nil }
  }

  public mutating func next() throws(CoprocessorError) -> [Datum]? {
    guard let (key, value) = try source.next() else { return nil }
    do {
      let handle = try TableKeys.decodeRecord(key).handle
      if handleOnly { return columns.map { EncodedRow.handle(handle, as: $0)! } }
      let row = try EncodedRow(decoding: value)
      var datums: [Datum] = []
      datums.reserveCapacity(columns.count)
      for column in columns { datums.append(try row.datum(of: column, handle: handle)) }
      return datums
    } catch {
      throw CoprocessorError("a row that does not decode: \(error)")
    }
  }
}
