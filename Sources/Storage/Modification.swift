import Engine
import Foundation

/// One change to a column family, part of an atomic `Storage.write`.
public enum Modification: Sendable, Hashable {
  case put(ColumnFamily, key: Data, value: Data)
  case delete(ColumnFamily, key: Data)

  /// The column family the change touches.
  public var columnFamily: ColumnFamily {
    switch self {
    case .put(let cf, _, _), .delete(let cf, _): cf
    }
  }

  /// The key the change touches.
  public var key: Data {
    switch self {
    case .put(_, let key, _), .delete(_, let key): key
    }
  }
}

extension WriteBatch {
  /// Adds `modification` to the batch.
  public func add(_ modification: Modification) throws(EngineError) {
    switch modification {
    case .put(let cf, let key, let value): try put(cf, key, value)
    case .delete(let cf, let key): try delete(cf, key)
    }
  }
}
