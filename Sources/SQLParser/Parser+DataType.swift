/// Column types, normalised to MySQL's own names as they are read.
extension Parser {
  /// A column's type, with its attributes (`UNSIGNED`, `CHARACTER SET`, ...).
  mutating func parseDataType() throws(ParseError) -> DataType {
    let token = current
    guard let keyword = token.keyword else { throw unexpected() }
    advance()
    switch keyword {
    case .tinyint, .int1:
      return try parseNumericAttributes(DataType(.tinyInt, length: try optionalLength()))
    case .smallint, .int2:
      return try parseNumericAttributes(DataType(.smallInt, length: try optionalLength()))
    case .mediumint, .int3, .middleint:
      return try parseNumericAttributes(DataType(.mediumInt, length: try optionalLength()))
    case .int, .integer, .int4:
      return try parseNumericAttributes(DataType(.int, length: try optionalLength()))
    case .bigint, .int8:
      return try parseNumericAttributes(DataType(.bigInt, length: try optionalLength()))
    case .bool, .boolean: return DataType(.tinyInt, length: 1)
    case .bit: return DataType(.bit, length: try optionalLength())
    case .decimal, .dec, .numeric, .fixed:
      return try parseNumericAttributes(try parsePrecision(.decimal))
    case .float:
      var type = try parsePrecision(.float)
      if let precision = type.length, type.decimals == nil {
        type = DataType(precision > 24 ? .double : .float)
      }
      return try parseNumericAttributes(type)
    case .float4: return try parseNumericAttributes(try parsePrecision(.float))
    case .double, .float8, .real:
      if keyword == .double { _ = accept(.precision) }
      return try parseNumericAttributes(try parsePrecision(.double))
    case .date: return DataType(.date)
    case .time: return DataType(.time, length: try optionalLength())
    case .datetime: return DataType(.dateTime, length: try optionalLength())
    case .timestamp: return DataType(.timestamp, length: try optionalLength())
    case .year: return DataType(.year, length: try optionalLength())
    case .char, .character:
      guard accept(.varying) else {
        return try parseStringAttributes(DataType(.char, length: try optionalLength()))
      }
      return try parseStringAttributes(DataType(.varChar, length: try requiredLength()))
    case .varchar, .varcharacter:
      return try parseStringAttributes(DataType(.varChar, length: try requiredLength()))
    case .nchar, .nvarchar, .national:
      return try parseStringAttributes(try parseNationalType(keyword))
    case .binary: return DataType(.binary, length: try optionalLength())
    case .varbinary: return DataType(.varBinary, length: try requiredLength())
    case .tinytext: return try parseStringAttributes(DataType(.tinyText))
    case .text: return try parseStringAttributes(DataType(.text, length: try optionalLength()))
    case .mediumtext: return try parseStringAttributes(DataType(.mediumText))
    case .longtext: return try parseStringAttributes(DataType(.longText))
    case .tinyblob: return DataType(.tinyBlob)
    case .blob: return DataType(.blob, length: try optionalLength())
    case .mediumblob: return DataType(.mediumBlob)
    case .longblob: return DataType(.longBlob)
    case .enum, .set:
      try expect(.leftParen)
      var elements = [Quoting.text(try stringBytes())]
      while accept(.comma) { elements.append(Quoting.text(try stringBytes())) }
      try expect(.rightParen)
      return try parseStringAttributes(
        DataType(keyword == .enum ? .enumeration : .set, elements: elements))
    case .json: return DataType(.json)
    default: throw error(at: token)
    }
  }

  /// `(n)`, required.
  private mutating func requiredLength() throws(ParseError) -> Int {
    try expect(.leftParen)
    let value = try length()
    try expect(.rightParen)
    return value
  }

  /// `[(m[, d])]` after a decimal or floating-point type.
  private mutating func parsePrecision(_ base: DataType.Base) throws(ParseError) -> DataType {
    guard accept(.leftParen) else { return DataType(base) }
    let precision = try length()
    let scale = accept(.comma) ? try length() : nil
    try expect(.rightParen)
    return DataType(base, length: precision, decimals: scale)
  }

  /// `UNSIGNED`, `SIGNED` and `ZEROFILL`, in any order.
  private mutating func parseNumericAttributes(_ type: DataType) throws(ParseError) -> DataType {
    var type = type
    while true {
      if accept(.unsigned) {
        type.isUnsigned = true
      } else if accept(.zerofill) {
        type.isZerofill = true
        type.isUnsigned = true
      } else if !accept(.signed) {
        return type
      }
    }
  }

  /// `BINARY`, `CHARACTER SET name` and `COLLATE name`, in any order.
  private mutating func parseStringAttributes(_ type: DataType) throws(ParseError) -> DataType {
    var type = type
    while true {
      if accept(.binary) {
        type.binaryCollation = true
      } else if let charset = try parseCharsetClause() {
        type.charset = charset
      } else if accept(.collate) {
        type.collation = try nameOrString().lowercased()
      } else {
        return type
      }
    }
  }

  /// `NCHAR [VARCHAR | VARYING](n)`, `NVARCHAR(n)`, `NATIONAL CHAR|CHARACTER [VARYING] (n)`,
  /// `NATIONAL VARCHAR(n)`: character types in `utf8`, after their first word.
  private mutating func parseNationalType(_ first: Keyword) throws(ParseError) -> DataType {
    var varying = first == .nvarchar
    if first == .national {
      if accept(.varchar) || accept(.varcharacter) {
        varying = true
      } else {
        guard accept(.char) || accept(.character) else { throw unexpected() }
        varying = accept(.varying)
      }
    } else if first == .nchar {
      varying = accept(.varchar) || accept(.varcharacter) || accept(.varying)
    }
    if varying { return DataType(.varChar, length: try requiredLength(), charset: "utf8") }
    return DataType(.char, length: try optionalLength(), charset: "utf8")
  }
}
