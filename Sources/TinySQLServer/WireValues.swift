import Coprocessor
import MySQLProtocol
import SQLEngine
import SQLServer

/// The engine's values and columns as the MySQL protocol carries them.
enum WireValues {
  static func result(_ result: StatementResult) -> SQLResult {
    switch result {
    case .ok(let affected, let lastInsertID, let info):
      return .ok(affectedRows: affected, lastInsertID: lastInsertID, info: info)
    case .rows(let columns, let rows):
      return .rows(
        columns: columns.map(definition), rows: rows.map { $0.map(value) })
    }
  }

  /// A result column as a column definition: its MySQL type, length, flags and character set
  /// (binary for numbers and binary strings, utf8mb4 for text).
  static func definition(_ column: ResultColumn) -> ColumnDefinition {
    let type = column.type
    let wireType: MySQLProtocol.ColumnType =
      switch type.type {
      case .tiny: .tiny
      case .short: .short
      case .int24: .int24
      case .long: .long
      case .longlong: .longlong
      case .year: .year
      case .float: .float
      case .double: .double
      case .null: .null
      case .string: .string
      case .varchar, .varString: .varString
      case .tinyBlob, .blob, .mediumBlob, .longBlob: .blob
      case .bit: .bit
      default: .varString
      }
    let length: UInt32 =
      switch type.kind {
      case .int: UInt32(type.length > 0 ? type.length : 21)
      case .real: 22
      case .string: UInt32(clamping: max(type.length, 0) * (type.binary ? 1 : 4))
      }
    var definition = ColumnDefinition(
      name: column.name, type: wireType, length: length,
      characterSet: type.kind == .string && !type.binary ? 45 : 63)
    definition.schema = column.database
    definition.table = column.table
    definition.originalTable = column.originalTable
    definition.originalName = column.originalName
    var flags: UInt16 = 0
    if type.notNull { flags |= 1 }
    if type.unsigned { flags |= 32 }
    if type.binary || type.kind != .string { flags |= 128 }
    if type.kind == .string && [.tinyBlob, .blob, .mediumBlob, .longBlob].contains(type.type) {
      flags |= 16
    }
    definition.flags = flags
    definition.decimals = type.kind == .real ? 31 : 0
    return definition
  }

  static func value(_ datum: Datum) -> BinaryValue {
    switch datum {
    case .null, .minNotNull, .maxValue: .null
    case .int(let v): .int(v)
    case .uint(let v): .uint(v)
    case .float(let v): .double(v)
    case .bytes(let v): .bytes(v)
    }
  }

  static func datum(_ value: BinaryValue) -> Datum {
    switch value {
    case .null: .null
    case .int(let v): .int(v)
    case .uint(let v): .uint(v)
    case .double(let v): .float(v)
    case .bytes(let v): .bytes(v)
    }
  }
}
