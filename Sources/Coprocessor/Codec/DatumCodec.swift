/// TiDB's datum encodings (TinySQL's `util/codec/codec.go`): a flag byte, then the value. The
/// *key* form is comparable (index keys sort as their values do); the *value* form is compact
/// (varints, length-prefixed bytes). A reader decodes either form by its flag.
public enum DatumCodec {
  /// The flag byte before each encoded datum.
  enum Flag: UInt8 {
    case null = 0
    case bytes = 1
    case compactBytes = 2
    case int = 3
    case uint = 4
    case float = 5
    case decimal = 6
    case duration = 7
    case varint = 8
    case uvarint = 9
    case json = 10
    case max = 250
  }

  /// Which of the two forms to write.
  public enum Form: Sendable {
    /// Comparable: for index keys, which sort as their values do.
    case key
    /// Compact: for stored values and responses.
    case value
  }

  /// `datum` in `form`. Floats and NULL look the same in both; the range bounds
  /// (`minNotNull`, `maxValue`) are a bare flag and are never decoded.
  public static func append(_ datum: Datum, as form: Form, to out: inout [UInt8]) {
    switch (datum, form) {
    case (.int(let value), .key):
      out.append(Flag.int.rawValue)
      NumberCodec.appendInt(value, to: &out)
    case (.int(let value), .value):
      out.append(Flag.varint.rawValue)
      NumberCodec.appendVarint(value, to: &out)
    case (.uint(let value), .key):
      out.append(Flag.uint.rawValue)
      NumberCodec.appendUint(value, to: &out)
    case (.uint(let value), .value):
      out.append(Flag.uvarint.rawValue)
      NumberCodec.appendUvarint(value, to: &out)
    case (.bytes(let value), .key):
      out.append(Flag.bytes.rawValue)
      BytesCodec.appendComparable(value, to: &out)
    case (.bytes(let value), .value):
      out.append(Flag.compactBytes.rawValue)
      BytesCodec.appendCompact(value, to: &out)
    case (.float(let value), _):
      out.append(Flag.float.rawValue)
      NumberCodec.appendFloat(value, to: &out)
    case (.null, _): out.append(Flag.null.rawValue)
    case (.minNotNull, _): out.append(Flag.bytes.rawValue)
    case (.maxValue, _): out.append(Flag.max.rawValue)
    }
  }
}

extension ByteReader {
  /// One datum in either form, by its flag.
  /// - Throws: `CodecError` for a flag TinySQL does not write (decimal, duration, JSON, the
  ///   maximum bound) or a truncated value.
  public mutating func datum() throws(CodecError) -> Datum {
    let flagByte = try take(1).first!
    switch DatumCodec.Flag(rawValue: flagByte) {
    case .null: return .null
    case .int: return .int(try int())
    case .uint: return .uint(try uint())
    case .varint: return .int(try varint())
    case .uvarint: return .uint(try uvarint())
    case .float: return .float(try float())
    case .bytes: return .bytes(try comparableBytes())
    case .compactBytes: return .bytes(try compactBytes())
    default: throw CodecError("unsupported datum flag \(flagByte)")
    }
  }
}
