import Engine
import Foundation

/// One change to a column family, part of an atomic `Storage.write`.
public enum Modification: Sendable, Hashable {
  case put(ColumnFamily, key: Data, value: Data)
  case delete(ColumnFamily, key: Data)
  /// Removes every key of the column family in `[start, end)`; `end` is never empty.
  case deleteRange(ColumnFamily, start: Data, end: Data)

  /// The column family the change touches.
  public var columnFamily: ColumnFamily {
    switch self {
    case .put(let cf, _, _), .delete(let cf, _), .deleteRange(let cf, _, _): cf
    }
  }

  /// The key the change touches; for a range deletion, the range's first key (see
  /// ``rangeEnd``).
  public var key: Data {
    switch self {
    case .put(_, let key, _), .delete(_, let key): key
    case .deleteRange(_, let start, _): start
    }
  }

  /// The exclusive end of a range deletion's range; nil for a change of one key.
  public var rangeEnd: Data? {
    if case .deleteRange(_, _, let end) = self { end } else { nil }
  }
}

extension WriteBatch {
  /// Adds `modification` to the batch.
  public func add(_ modification: Modification) throws(EngineError) {
    switch modification {
    case .put(let cf, let key, let value): try put(cf, key, value)
    case .delete(let cf, let key): try delete(cf, key)
    case .deleteRange(let cf, let start, let end): try deleteRange(cf, from: start, to: end)
    }
  }
}
