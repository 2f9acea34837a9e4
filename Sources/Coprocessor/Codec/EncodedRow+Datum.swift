import TipbProto

extension EncodedRow {
  /// The value of `column` in this row, whose key holds `handle`: the handle itself for the
  /// integer primary key (`pk_handle`) or the hidden handle column, the column's default for a
  /// column the row lacks (NULL without one), else the row's data decoded by the column's type.
  /// - Throws: `CodecError` for a type TinySQL's rows do not hold (decimal, time, JSON, ...) or
  ///   data of the wrong size for its type.
  public func datum(of column: Tipb_ColumnInfo, handle: Int64) throws(CodecError) -> Datum {
    if let datum = Self.handle(handle, as: column) { return datum }
    let unsigned = column.flag & MySQLType.unsignedFlag != 0
    switch self.column(column.columnID) {
    case .null:
      return .null
    case .absent:
      guard !column.defaultVal.isEmpty else { return .null }
      var reader = ByteReader(column.defaultVal)
      return try reader.datum()
    case .value(let data):
      guard let type = MySQLType(rawValue: column.tp), let storage = type.storage else {
        throw CodecError("column \(column.columnID): MySQL type \(column.tp) is not supported")
      }
      switch storage {
      case .integer:
        guard [1, 2, 4, 8].contains(data.count) else {
          throw CodecError("column \(column.columnID): an integer of \(data.count) bytes")
        }
        let bits = data.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        if unsigned || type == .bit { return .uint(bits) }
        // Sign-extend from the stored width.
        let unused = Int64(64 - 8 * data.count)
        return .int(Int64(bitPattern: bits << UInt64(unused)) >> unused)
      case .real:
        var reader = ByteReader(data)
        let value = try reader.float()
        return .float(type == .float ? Double(Float(value)) : value)
      case .bytes:
        return .bytes(Array(data))
      }
    }
  }

  /// `handle` as the value of `column` when the column is the handle (the integer primary key,
  /// or the hidden handle column); nil for any other column.
  public static func handle(_ handle: Int64, as column: Tipb_ColumnInfo) -> Datum? {
    guard column.pkHandle || column.columnID == TableKeys.extraHandleColumnID else { return nil }
    return column.flag & MySQLType.unsignedFlag != 0
      ? .uint(UInt64(bitPattern: handle)) : .int(handle)
  }
}
