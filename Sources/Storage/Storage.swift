import Engine
import Foundation
import TinyKVProto

/// Where the key-value handlers keep their data: a single engine (`StandaloneStorage`) or a
/// replicated raft store. The raw and transactional handlers are written against this protocol
/// only, so they run unchanged on either.
///
/// The `context` says which region, epoch and peer a request is meant for. A standalone store
/// ignores it; a raft store routes on it and throws `RegionError` when it does not match.
public protocol Storage: Sendable {
  associatedtype Reader: StorageReader

  /// Applies `modifications` atomically and durably: when this returns, all of them survive a
  /// crash; when it throws, none were applied.
  /// - Throws: `RegionError` when the request must go elsewhere, `EngineError` on I/O failure.
  func write(_ context: Kvrpcpb_Context, _ modifications: [Modification]) async throws

  /// As ``write(_:_:)``, but answers through `completion` (exactly once, on any thread)
  /// instead of suspending a task: a storage that hands writes to another thread anyway (a
  /// raft store) saves the caller a task and two hand-offs per write. The default runs
  /// ``write(_:_:)`` in a new task.
  func write(
    _ context: Kvrpcpb_Context, _ modifications: [Modification],
    completion: @escaping @Sendable (Result<Void, any Error>) -> Void)

  /// A reader on one consistent snapshot, taken after every write that completed before this
  /// call.
  /// - Throws: `RegionError` when the request must go elsewhere, `EngineError` on failure.
  func reader(_ context: Kvrpcpb_Context) async throws -> Reader
}

extension Storage {
  public func write(
    _ context: Kvrpcpb_Context, _ modifications: [Modification],
    completion: @escaping @Sendable (Result<Void, any Error>) -> Void
  ) {
    Task {
      do {
        try await write(context, modifications)
        completion(.success(()))
      } catch {
        completion(.failure(error))
      }
    }
  }
}

/// Reads from one consistent snapshot of a `Storage`.
public protocol StorageReader: Sendable {
  /// The value of `key` in `cf`, or `nil`.
  func get(_ cf: ColumnFamily, _ key: Data) throws -> Data?

  /// An iterator over `cf` within `bounds` (further limited to the region's range by a raft
  /// store).
  func iterator(_ cf: ColumnFamily, bounds: KeyBounds) throws -> DBIterator
}

extension StorageReader {
  /// An iterator over all of `cf` that the reader may see.
  public func iterator(_ cf: ColumnFamily) throws -> DBIterator {
    try iterator(cf, bounds: KeyBounds())
  }
}

/// A request reached a store that cannot serve it as addressed (wrong leader, stale epoch, key
/// outside the region, ...). The client refreshes its route and retries; the handlers copy
/// `error` into the response's `region_error`.
public struct RegionError: Error, Sendable {
  public var error: Errorpb_Error

  public init(_ error: Errorpb_Error) { self.error = error }
}
