/// Where TinySQL keeps a table (TinySQL's `tablecodec`): a row under
/// `t{table id}_r{handle}`, an index entry under `t{table id}_i{index id}{values}`, the ids and
/// the handle as comparable 8-byte integers and the values as key-form datums, so a table's
/// rows sort by handle and an index's entries by value.
public enum TableKeys {
  static let tablePrefix = UInt8(ascii: "t")
  static let recordSeparator: [UInt8] = Array("_r".utf8)
  static let indexSeparator: [UInt8] = Array("_i".utf8)

  /// The column id of a table's hidden handle column (TiDB's `_tidb_rowid`, in a table without
  /// an integer primary key): a request asks for the handle under it.
  public static let extraHandleColumnID: Int64 = -1

  /// The key of the row with `handle` in table `tableID`.
  public static func record(table tableID: Int64, handle: Int64) -> [UInt8] {
    var key = recordPrefix(table: tableID)
    NumberCodec.appendInt(handle, to: &key)
    return key
  }

  /// The prefix every row key of table `tableID` starts with.
  public static func recordPrefix(table tableID: Int64) -> [UInt8] {
    prefix(tableID, recordSeparator)
  }

  /// The key of an index entry: the index's prefix, then `values` in key form (a non-unique
  /// index, or a unique one holding a NULL, ends with the handle as one more value).
  public static func index(table tableID: Int64, index indexID: Int64, values: [Datum]) -> [UInt8] {
    var key = prefix(tableID, indexSeparator)
    NumberCodec.appendInt(indexID, to: &key)
    for value in values { DatumCodec.append(value, as: .key, to: &key) }
    return key
  }

  /// The table and handle of a row key.
  /// - Throws: `CodecError` if `key` is not a row key.
  public static func decodeRecord(_ key: some Collection<UInt8>) throws(CodecError) -> (
    table: Int64, handle: Int64
  ) {
    var reader = ByteReader(key)
    let table = try readPrefix(&reader, recordSeparator, key: "row")
    let handle = try reader.int()
    guard reader.isEmpty else {
      throw CodecError("a row key with \(reader.bytes.count) extra bytes")
    }
    return (table, handle)
  }

  /// The table, index and values of an index key.
  /// - Throws: `CodecError` if `key` is not an index key.
  public static func decodeIndex(
    _ key: some Collection<UInt8>
  ) throws(CodecError) -> (table: Int64, index: Int64, values: [Datum]) {
    var reader = ByteReader(key)
    let table = try readPrefix(&reader, indexSeparator, key: "index")
    let index = try reader.int()
    var values: [Datum] = []
    while !reader.isEmpty { values.append(try reader.datum()) }
    return (table, index, values)
  }

  /// The first `count` values of an index key, each as the key holds it (key form), without
  /// whatever follows them (TinySQL's `CutIndexKeyNew`): an entry's indexed values without the
  /// handle a non-unique index appends.
  /// - Throws: `CodecError` if `key` is not an index key with `count` values.
  static func indexedValues(
    _ key: some Collection<UInt8>, count: Int
  ) throws(CodecError) -> [ArraySlice<UInt8>] {
    var reader = ByteReader(key)
    _ = try readPrefix(&reader, indexSeparator, key: "index")
    _ = try reader.int()
    var values: [ArraySlice<UInt8>] = []
    for _ in 0..<count {
      let rest = reader.bytes
      _ = try reader.datum()
      values.append(rest.prefix(rest.count - reader.bytes.count))
    }
    return values
  }

  private static func prefix(_ tableID: Int64, _ separator: [UInt8]) -> [UInt8] {
    var key = [tablePrefix]
    key.reserveCapacity(19)
    NumberCodec.appendInt(tableID, to: &key)
    key += separator
    return key
  }

  private static func readPrefix(
    _ reader: inout ByteReader, _ separator: [UInt8], key kind: String
  ) throws(CodecError) -> Int64 {
    guard try reader.take(1).first == tablePrefix else { throw CodecError("not a table key") }
    let table = try reader.int()
    guard Array(try reader.take(2)) == separator else { throw CodecError("not a \(kind) key") }
    return table
  }
}
