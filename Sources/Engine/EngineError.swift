import CRocksDB

/// An error from the storage engine.
///
/// `code` says what kind of failure it was; `message` is for people, and for `.rocksDB` carries
/// RocksDB's own words (for example `IO error: While lock file: ... Resource temporarily
/// unavailable` when another process holds the database).
public struct EngineError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The kind of an engine error. New codes may be added.
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    private enum Wrapped: Hashable, Sendable {
      case rocksDB, unknownColumnFamily, closed, invalidArgument
    }
    private let wrapped: Wrapped
    private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

    /// RocksDB reported a failure (I/O, corruption, a held lock, ...).
    public static let rocksDB = Code(.rocksDB)
    /// The column family was not opened with this database.
    public static let unknownColumnFamily = Code(.unknownColumnFamily)
    /// The database was closed.
    public static let closed = Code(.closed)
    /// The caller passed something the engine cannot use.
    public static let invalidArgument = Code(.invalidArgument)

    public var description: String {
      switch wrapped {
      case .rocksDB: "rocksdb"
      case .unknownColumnFamily: "unknown column family"
      case .closed: "closed"
      case .invalidArgument: "invalid argument"
      }
    }
  }

  public var code: Code
  public var message: String

  public init(code: Code, message: String) {
    self.code = code
    self.message = message
  }

  public var description: String { message }
}

/// Turns RocksDB's `char** errptr` convention into a Swift throw.
///
/// Calls `body` with a pointer to a null error slot; if RocksDB fills it, the message is freed and
/// thrown as `EngineError.rocksDB`.
@inline(__always)
func withRocksDBError<T>(
  _ context: @autoclosure () -> String,
  _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> T
) throws(EngineError) -> T {
  var err: UnsafeMutablePointer<CChar>? = nil
  let result = body(&err)
  if let err {
    let message = String(cString: err)
    rocksdb_free(err)
    throw EngineError(code: .rocksDB, message: "\(context()): \(message)")
  }
  return result
}
