/// The name of a RocksDB column family.
///
/// A store's kv engine holds `default`, `lock` and `write` for data (the raw API uses them
/// directly; transactions use them as Percolator's data, lock and write columns) and `meta` for
/// region metadata.
public struct ColumnFamily: Hashable, Sendable, CustomStringConvertible {
  public let name: String

  public init(_ name: String) { self.name = name }

  public static let `default` = ColumnFamily("default")
  public static let lock = ColumnFamily("lock")
  public static let write = ColumnFamily("write")
  public static let meta = ColumnFamily("meta")

  /// The data column families a client may name.
  public static let data: [ColumnFamily] = [.default, .lock, .write]
  /// Every column family of a kv engine.
  public static let all: [ColumnFamily] = data + [.meta]

  public var description: String { name }
}
