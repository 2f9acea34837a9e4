import SQLText

extension BinaryValue {
  /// The value as a text result row carries it (nil for NULL) in a column of `type`: integers
  /// in decimal, doubles as ``NumberText/double(_:)`` prints them (``NumberText/float(_:)`` in
  /// a FLOAT column), bytes as they are.
  public func text(as type: ColumnType) -> [UInt8]? {
    switch self {
    case .null: nil
    case .int(let value): Array(String(value).utf8)
    case .uint(let value): Array(String(value).utf8)
    case .double(let value):
      Array((type == .float ? NumberText.float(value) : NumberText.double(value)).utf8)
    case .bytes(let value): value
    }
  }
}
