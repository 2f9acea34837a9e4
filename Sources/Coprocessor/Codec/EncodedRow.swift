/// A row value in TinySQL's row format (its `util/rowcodec`, version byte 128), as stored under
/// the row's key.
///
/// Layout: the version byte 128; a flag byte (bit 0: large); the counts of not-null and of null
/// columns (2 bytes each, little-endian); the column ids, the not-null ones ascending, then the
/// null ones ascending (1 byte each; 4 little-endian when large); the end offset of each
/// not-null column's data (2 bytes each; 4 when large); the data. A row is large when a column
/// id is over 255 or its data over 65,534 bytes. A column's data: an integer in the fewest of 1,
/// 2, 4 or 8 little-endian bytes that hold it, a float in its 8-byte comparable form, a string
/// as its bytes. The integer primary key is the row's handle and is not in the row.
public struct EncodedRow: Sendable {
  /// The format's version byte.
  static let version: UInt8 = 128

  private let notNullIDs: [Int64]
  private let nullIDs: [Int64]
  /// Where each not-null column's data ends in `data`.
  private let ends: [Int]
  private let data: ArraySlice<UInt8>

  /// A column as a row holds it.
  public enum Column: Equatable, Sendable {
    /// Not null: its data, to decode by the column's type.
    case value(ArraySlice<UInt8>)
    case null
    /// The row has no such column (it was added after the row was written).
    case absent
  }

  /// Reads a row value.
  /// - Throws: `CodecError` for another version byte or a value that is cut short.
  public init(decoding bytes: some Collection<UInt8>) throws(CodecError) {
    var reader = ByteReader(bytes)
    let header = Array(try reader.take(6))
    guard header[0] == Self.version else {
      throw CodecError("row format version \(header[0]), not \(Self.version)")
    }
    let large = header[1] & 1 != 0
    let notNull = Int(header[2]) | Int(header[3]) << 8
    let null = Int(header[4]) | Int(header[5]) << 8
    let width = large ? 4 : 1
    func littleEndian(_ bytes: ArraySlice<UInt8>) -> Int {
      bytes.reversed().reduce(0) { $0 << 8 | Int($1) }
    }
    var ids: [Int64] = []
    for _ in 0..<(notNull + null) { ids.append(Int64(littleEndian(try reader.take(width)))) }
    notNullIDs = Array(ids.prefix(notNull))
    nullIDs = Array(ids.dropFirst(notNull))
    var ends: [Int] = []
    for _ in 0..<notNull { ends.append(littleEndian(try reader.take(large ? 4 : 2))) }
    guard zip([0] + ends, ends).allSatisfy({ $0 <= $1 }), (ends.last ?? 0) <= reader.bytes.count
    else { throw CodecError("row offsets out of order or past the row's data") }
    self.ends = ends
    data = reader.bytes
  }

  /// The column with id `id`.
  public func column(_ id: Int64) -> Column {
    if let index = Self.search(notNullIDs, id) {
      let start = index == 0 ? 0 : ends[index - 1]
      return .value(data.dropFirst(start).prefix(ends[index] - start))
    }
    return Self.search(nullIDs, id) == nil ? .absent : .null
  }

  private static func search(_ ids: [Int64], _ id: Int64) -> Int? {
    var (low, high) = (0, ids.count)
    while low < high {
      let middle = (low + high) / 2
      if ids[middle] < id { low = middle + 1 } else { high = middle }
    }
    return low < ids.count && ids[low] == id ? low : nil
  }

  /// A row value of `columns` (ids need not be sorted; NULLs go to the null list).
  /// - Throws: `CodecError` for a range bound (`minNotNull`, `maxValue`) or a negative id.
  public static func encode(_ columns: [(id: Int64, value: Datum)]) throws(CodecError) -> [UInt8] {
    guard columns.allSatisfy({ $0.id >= 0 && $0.id <= Int64(UInt32.max) }) else {
      throw CodecError("a column id out of the row format's range")
    }
    let notNull = columns.filter { $0.value != .null }.sorted { $0.id < $1.id }
    let nullIDs = columns.filter { $0.value == .null }.map(\.id).sorted()
    var data: [UInt8] = []
    var ends: [Int] = []
    for column in notNull {
      switch column.value {
      case .int(let value): appendSmallest(UInt64(bitPattern: value), signed: true, to: &data)
      case .uint(let value): appendSmallest(value, signed: false, to: &data)
      case .float(let value): NumberCodec.appendFloat(value, to: &data)
      case .bytes(let value): data += value
      case .null, .minNotNull, .maxValue:
        throw CodecError("\(column.value) cannot be stored in a row")
      }
      ends.append(data.count)
    }
    let large = columns.contains { $0.id > 255 } || data.count >= Int(UInt16.max)
    var row: [UInt8] = [version, large ? 1 : 0]
    appendLittleEndian(UInt64(notNull.count), width: 2, to: &row)
    appendLittleEndian(UInt64(nullIDs.count), width: 2, to: &row)
    for id in notNull.map(\.id) + nullIDs { appendLittleEndian(UInt64(id), width: large ? 4 : 1, to: &row) }
    for end in ends { appendLittleEndian(UInt64(end), width: large ? 4 : 2, to: &row) }
    return row + data
  }

  /// An integer in the fewest of 1, 2, 4 or 8 little-endian bytes that hold it (as a signed or
  /// an unsigned number).
  private static func appendSmallest(_ bits: UInt64, signed: Bool, to out: inout [UInt8]) {
    let value = Int64(bitPattern: bits)
    let width =
      signed
      ? (Int64(Int8(truncatingIfNeeded: value)) == value
        ? 1 : Int64(Int16(truncatingIfNeeded: value)) == value
          ? 2 : Int64(Int32(truncatingIfNeeded: value)) == value ? 4 : 8)
      : (bits <= UInt64(UInt8.max) ? 1 : bits <= UInt64(UInt16.max) ? 2 : bits <= UInt64(UInt32.max) ? 4 : 8)
    appendLittleEndian(bits, width: width, to: &out)
  }

  private static func appendLittleEndian(_ value: UInt64, width: Int, to out: inout [UInt8]) {
    for byte in 0..<width { out.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(byte)))) }
  }
}
