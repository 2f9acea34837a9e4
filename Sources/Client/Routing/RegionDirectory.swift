import Foundation
import TinyKVProto

/// Where regions are: the scheduler's map, as a region cache needs it.
///
/// `SchedulerClient` is the directory of a real cluster; tests give a fake.
public protocol RegionDirectory: Sendable {
  /// The region holding `key` and its leader, or nil if none is known.
  func region(containing key: Data) async throws -> RegionLocation?
  /// The region with `id` and its leader, or nil if none is known.
  func region(id: UInt64) async throws -> RegionLocation?
  /// Up to `limit` regions (all if 0) from the one holding `start`, before `end` (empty: no
  /// bound), in key order.
  func scanRegions(from start: Data, to end: Data, limit: Int32) async throws -> [RegionLocation]
  /// The address (`host:port`) of the store with `id`.
  func storeAddress(id: UInt64) async throws -> String
  /// A new id, unique in the cluster, for a client's write session.
  func newSessionID() async throws -> UInt64
}

extension SchedulerClient: RegionDirectory {
  /// The address the store with `id` registered.
  /// - Throws: `SchedulerClientError.invalidArgument` for a tombstone store, which serves
  ///   nothing any more.
  public func storeAddress(id: UInt64) async throws -> String {
    let store = try await store(id: id).store
    guard store.state != .tombstone else {
      throw SchedulerClientError.invalidArgument("store \(id) is a tombstone")
    }
    return store.address
  }

  /// An id from the scheduler's allocator.
  public func newSessionID() async throws -> UInt64 { try await allocID() }
}
