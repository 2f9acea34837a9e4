import Engine
import Foundation
import SwiftProtobuf
import TinyKVProto

/// The scheduler's durable state in its own RocksDB: cluster id, bootstrap record, cluster
/// config, stores, region metadata, the id allocator's high-water mark, the TSO's saved window
/// and the GC safe point.
///
/// Everything that must survive `kill -9` (ids, timestamps, bootstrap, stores, config, safe
/// point) is written with `sync: true`. Region metadata is written without sync: stores resend
/// it in every region heartbeat, so a lost tail is relearnt within a heartbeat interval.
///
/// Thread-safe (the database is); calls block on disk, so callers keep them off event loops.
final class MetaStorage: Sendable {
  let database: Database

  /// Opens (creating if needed) the database in `path`.
  /// - Throws: `SchedulerError.storage` with RocksDB's message (a folder that cannot be
  ///   created or written, a lock held by another process).
  init(path: String) throws(SchedulerError) {
    var options = DatabaseOptions()
    options.columnFamilies = [.default]
    options.blockCacheBytes = 8 << 20
    options.writeBufferBytes = 8 << 20
    options.backgroundThreads = 1
    do {
      database = try Database(path: path, options: options)
    } catch {
      throw SchedulerError(code: .storage, message: error.message)
    }
  }

  func close() { database.close() }

  // MARK: Integers

  func loadUInt64(_ key: Data) throws(SchedulerError) -> UInt64? {
    guard let data = try get(key) else { return nil }
    guard let value = MetaKey.decodeUInt64(data) else {
      throw SchedulerError(
        code: .storage, message: "corrupt value under \(String(decoding: key, as: UTF8.self))")
    }
    return value
  }

  func saveUInt64(_ key: Data, _ value: UInt64) throws(SchedulerError) {
    try write(sync: true) { batch throws(EngineError) in
      try batch.put(.default, key, MetaKey.bigEndian(value))
    }
  }

  // MARK: Messages

  func loadMessage<M: SwiftProtobuf.Message>(_ type: M.Type, _ key: Data) throws(SchedulerError)
    -> M?
  {
    guard let data = try get(key) else { return nil }
    do {
      return try M(serializedBytes: data)
    } catch {
      throw SchedulerError(
        code: .storage,
        message: "corrupt record under \(String(decoding: key, as: UTF8.self)): \(error)")
    }
  }

  /// Loads every message stored under `prefix`, in key order.
  func loadAll<M: SwiftProtobuf.Message>(_ type: M.Type, prefix: Data) throws(SchedulerError) -> [M]
  {
    do {
      let iterator = try database.iterator(
        .default, bounds: KeyBounds(lower: prefix, upper: MetaKey.end(of: prefix)))
      var result: [M] = []
      iterator.seekToFirst()
      while iterator.isValid {
        result.append(try M(serializedBytes: iterator.value))
        iterator.next()
      }
      try iterator.checkStatus()
      return result
    } catch let error as EngineError {
      throw SchedulerError(code: .storage, message: error.message)
    } catch {
      throw SchedulerError(code: .storage, message: "corrupt record: \(error)")
    }
  }

  /// Applies puts and deletes atomically.
  /// - Parameter sync: wait for the write-ahead log to reach disk.
  func write(
    sync: Bool, _ fill: (WriteBatch) throws(EngineError) -> Void
  ) throws(SchedulerError) {
    do {
      let batch = try database.makeWriteBatch()
      try fill(batch)
      try database.write(batch, sync: sync)
    } catch {
      throw SchedulerError(code: .storage, message: error.message)
    }
  }

  func put(_ batch: WriteBatch, _ key: Data, _ message: some SwiftProtobuf.Message)
    throws(EngineError)
  {
    let bytes: Data
    do {
      bytes = try message.serializedData()
    } catch {
      throw EngineError(code: .invalidArgument, message: "cannot encode record: \(error)")
    }
    try batch.put(.default, key, bytes)
  }

  private func get(_ key: Data) throws(SchedulerError) -> Data? {
    do {
      return try database.get(.default, key)
    } catch {
      throw SchedulerError(code: .storage, message: error.message)
    }
  }
}
