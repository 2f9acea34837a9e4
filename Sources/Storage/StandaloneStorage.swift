import Engine
import Foundation
import TinyKVProto

/// A `Storage` on one local RocksDB, without replication (TinyKV's Project 1).
///
/// Writes are group-committed: concurrent writes are merged into one WriteBatch and one fsync by
/// a `GroupCommitter` thread, so a write is acknowledged only once it is on disk and the disk's
/// sync rate is shared by every writer instead of limiting each one.
public final class StandaloneStorage: Storage {
  public let database: Database
  private let committer: GroupCommitter

  /// Opens (or creates) the store's data under `path`.
  /// - Throws: `EngineError` with RocksDB's message when the folder cannot be used.
  public init(path: String, options: DatabaseOptions = DatabaseOptions()) throws {
    database = try Database(path: path, options: options)
    committer = GroupCommitter(database: database)
  }

  public func write(_ context: Kvrpcpb_Context, _ modifications: [Modification]) async throws {
    try await committer.commit(modifications)
  }

  public func reader(_ context: Kvrpcpb_Context) async throws -> SnapshotReader {
    SnapshotReader(try database.snapshot())
  }

  /// Writes and syncs so far: how well group commit is grouping.
  public var commitStats: CommitStats { committer.stats }

  /// Finishes the writes already submitted, refuses new ones, and closes the engine.
  public func close() {
    committer.stop()
    database.close()
  }
}
