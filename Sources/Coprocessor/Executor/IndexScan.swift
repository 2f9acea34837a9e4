import TipbProto

/// Reads an index's entries: each pair of the source is an index key and its value, decoded
/// into the indexed columns' values (from the key) and, when the request asks for it as its
/// last column, the row's handle: the key's last value (a non-unique index, or a unique one
/// holding a NULL) or the value's first 8 bytes, big-endian (a unique index without NULL).
public struct IndexScan<Source: KeyValueSource>: RowExecutor {
  private var source: Source
  /// How many of the key's values are indexed columns.
  private let indexedColumns: Int
  /// Whether the request's last column is the handle, and whether it is unsigned.
  private let handle: (wanted: Bool, unsigned: Bool)

  /// The entries of `source` (index keys and values in the scan's order), as `scan.columns`.
  public init(_ scan: Tipb_IndexScan, source: Source) {
    self.source = source
    let last = scan.columns.last
    if let last, last.pkHandle || last.columnID == TableKeys.extraHandleColumnID {
      handle = (true, last.pkHandle && last.flag & MySQLType.unsignedFlag != 0)
      indexedColumns = scan.columns.count - 1
    } else {
      handle = (false, false)
      indexedColumns = scan.columns.count
    }
  }

  /// Whether `scan` needs the entries' values, not just their keys: only for the handle, which
  /// a unique index keeps in the value.
  public static func readsValues(_ scan: Tipb_IndexScan) -> Bool {
    guard let last = scan.columns.last else { return false }
    return last.pkHandle || last.columnID == TableKeys.extraHandleColumnID
  }

  public mutating func next() throws(CoprocessorError) -> [Datum]? {
    guard let (key, value) = try source.next() else { return nil }
    do {
      var values = try TableKeys.decodeIndex(key).values
      guard values.count >= indexedColumns else {
        throw CodecError("an index key with \(values.count) values, not \(indexedColumns)")
      }
      guard handle.wanted else { return Array(values.prefix(indexedColumns)) }
      let handleValue: Int64
      if values.count > indexedColumns {
        guard values.count == indexedColumns + 1, case .int(let stored) = values.last! else {
          throw CodecError("an index key whose handle is not its last value")
        }
        handleValue = stored
        values.removeLast()
      } else {
        guard value.count >= 8 else {
          throw CodecError("a unique index value of \(value.count) bytes, not an 8-byte handle")
        }
        handleValue = Int64(bitPattern: value.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
      }
      values.append(handle.unsigned ? .uint(UInt64(bitPattern: handleValue)) : .int(handleValue))
      return values
    } catch {
      throw CoprocessorError("an index entry that does not decode: \(error)")
    }
  }
}
