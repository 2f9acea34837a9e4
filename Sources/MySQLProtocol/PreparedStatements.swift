/// The binary protocol of prepared statements: the answer to `COM_STMT_PREPARE`, the parameters
/// of `COM_STMT_EXECUTE`, and the rows of a binary result set.
public enum PreparedStatements {
  /// COM_STMT_PREPARE_OK's first packet; the parameters' and the columns' definitions follow,
  /// each group ended by EOF unless the client asked for `deprecateEOF`.
  public static func prepareOK(
    statementID: UInt32, columns: UInt16, parameters: UInt16, warnings: UInt16 = 0
  ) -> [UInt8] {
    var writer = PayloadWriter()
    writer.int1(0x00)
    writer.int4(statementID)
    writer.int2(columns)
    writer.int2(parameters)
    writer.int1(0x00)
    writer.int2(warnings)
    return writer.bytes
  }

  /// The parameter types a client bound: each type and whether it is unsigned.
  public typealias ParameterTypes = [(type: ColumnType, unsigned: Bool)]

  /// The parameters of a `COM_STMT_EXECUTE` payload (what follows the statement id), for a
  /// statement of `count` parameters. A client sends the types once and may leave them out
  /// afterwards: `bound` are the ones it sent before. A parameter whose value came ahead in
  /// `COM_STMT_SEND_LONG_DATA` packets (`longData`, by parameter index) is not in the payload:
  /// its value is those bytes.
  /// - Returns: the values and the types they were read with (to keep for the next execute).
  /// - Throws: `MySQLProtocolError` for a payload cut short, an unknown type, no types at all.
  public static func parameters(
    of payload: [UInt8], count: Int, bound: ParameterTypes?, longData: [Int: [UInt8]] = [:]
  ) throws(MySQLProtocolError) -> (values: [BinaryValue], types: ParameterTypes) {
    var reader = PayloadReader(payload)
    _ = try reader.int1()  // cursor flags
    _ = try reader.int4()  // iteration count, always 1
    guard count > 0 else { return ([], []) }
    let nulls = try reader.take((count + 7) / 8)
    var types: ParameterTypes
    if try reader.int1() == 1 {
      types = []
      for _ in 0..<count {
        let code = try reader.int1()
        guard let type = ColumnType(rawValue: code) else {
          throw MySQLProtocolError("parameter type \(code) is not a MySQL type")
        }
        types.append((type, try reader.int1() & 0x80 != 0))
      }
    } else if let bound, bound.count == count {
      types = bound
    } else {
      throw MySQLProtocolError("an execute without parameter types, none bound before")
    }
    var values: [BinaryValue] = []
    for (index, parameter) in types.enumerated() {
      if let data = longData[index] {
        values.append(.bytes(data))
      } else if nulls[index / 8] & (1 << UInt8(index % 8)) != 0 {
        values.append(.null)
      } else {
        values.append(
          try BinaryValue.read(parameter.type, unsigned: parameter.unsigned, from: &reader))
      }
    }
    return (values, types)
  }

  /// A binary result row: 0x00, a NULL bitmap whose first bit is the third, then the non-NULL
  /// values, each in the form of its column's type in `types` (one type per value; see
  /// `BinaryValue.write(as:to:)`: integers in their type's width, FLOAT in 4 bytes, strings
  /// length-encoded). A value in a column of type NULL counts as NULL.
  public static func row(_ values: [BinaryValue], types: [ColumnType]) -> [UInt8] {
    precondition(values.count == types.count, "one type per value")
    var writer = PayloadWriter()
    writer.int1(0x00)
    var bitmap = [UInt8](repeating: 0, count: (values.count + 7 + 2) / 8)
    for (index, (value, type)) in zip(values, types).enumerated()
    where value == .null || type == .null {
      bitmap[(index + 2) / 8] |= 1 << UInt8((index + 2) % 8)
    }
    writer.raw(bitmap)
    for (value, type) in zip(values, types) where value != .null {
      value.write(as: type, to: &writer)
    }
    return writer.bytes
  }
}
