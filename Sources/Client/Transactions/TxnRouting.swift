import Foundation
import TinyKVProto

/// How a transaction's requests reach the stores: what a `TxnClient` is generic over.
///
/// A one-store `TxnRPC` is a router with a single group (every key on the one store); the
/// cluster's `ClusterTxnRouter` sends each request to the region holding its key, and groups a
/// multi-key request's keys by region. Region errors never reach the transaction: the router
/// retries them, and regroups a group whose region changed.
public protocol TxnRouting: Sendable {
  /// Keys one request can carry: the keys of one region.
  associatedtype KeyGroup: TxnKeyGroup

  /// `keys` split into groups that one request each can carry, in the order of their first key.
  func group(_ keys: [Data]) async throws -> [KeyGroup]

  /// Runs `body` for every group, in parallel. A group whose region changed meanwhile (the
  /// router's requests to it throw `RegionChangedError` out of `body`) is regrouped and `body`
  /// runs again for its new groups, within the router's deadline.
  /// - Throws: the first error of `body` that is not a region change.
  func forEach(
    _ groups: [KeyGroup], _ body: @escaping @Sendable (KeyGroup) async throws -> Void
  ) async throws

  /// KvGet, sent to the store holding `request.key`.
  func get(_ request: Kvrpcpb_GetRequest) async throws -> Kvrpcpb_GetResponse
  /// KvScan from `request.startKey`, within the region holding it.
  /// - Returns: the pairs of that region, and the key its next region starts at (nil after the
  ///   last region).
  func scanRegion(
    _ request: Kvrpcpb_ScanRequest
  ) async throws -> (response: Kvrpcpb_ScanResponse, next: Data?)
  /// KvPrewrite of `group`'s mutations, sent to the group's region.
  func prewrite(
    _ request: Kvrpcpb_PrewriteRequest, to group: KeyGroup
  ) async throws -> Kvrpcpb_PrewriteResponse
  /// KvCommit of `group`'s keys, sent to the group's region.
  func commit(
    _ request: Kvrpcpb_CommitRequest, to group: KeyGroup
  ) async throws -> Kvrpcpb_CommitResponse
  /// KvBatchRollback of `group`'s keys, sent to the group's region.
  func batchRollback(
    _ request: Kvrpcpb_BatchRollbackRequest, to group: KeyGroup
  ) async throws -> Kvrpcpb_BatchRollbackResponse
  /// KvCheckTxnStatus, sent to the store holding `request.primaryKey`.
  func checkTxnStatus(
    _ request: Kvrpcpb_CheckTxnStatusRequest
  ) async throws -> Kvrpcpb_CheckTxnStatusResponse
  /// KvResolveLock, sent to the region holding `key` (a key the transaction locked): it
  /// resolves the transaction's locks in that region.
  func resolveLock(
    _ request: Kvrpcpb_ResolveLockRequest, forKey key: Data
  ) async throws -> Kvrpcpb_ResolveLockResponse
}

/// Keys that one request carries.
public protocol TxnKeyGroup: Sendable {
  var keys: [Data] { get }
}

/// Every key of a one-store `TxnRPC`: one group.
public struct OneStoreKeys: TxnKeyGroup {
  public let keys: [Data]
}

/// A store's RPCs route every request to that store.
extension TxnRPC {
  public func group(_ keys: [Data]) async throws -> [OneStoreKeys] {
    keys.isEmpty ? [] : [OneStoreKeys(keys: keys)]
  }

  public func forEach(
    _ groups: [OneStoreKeys], _ body: @escaping @Sendable (OneStoreKeys) async throws -> Void
  ) async throws {
    for group in groups { try await body(group) }
  }

  public func scanRegion(
    _ request: Kvrpcpb_ScanRequest
  ) async throws -> (response: Kvrpcpb_ScanResponse, next: Data?) {
    (try await scan(request), nil)
  }

  public func prewrite(
    _ request: Kvrpcpb_PrewriteRequest, to group: OneStoreKeys
  ) async throws -> Kvrpcpb_PrewriteResponse {
    try await prewrite(request)
  }

  public func commit(
    _ request: Kvrpcpb_CommitRequest, to group: OneStoreKeys
  ) async throws -> Kvrpcpb_CommitResponse {
    try await commit(request)
  }

  public func batchRollback(
    _ request: Kvrpcpb_BatchRollbackRequest, to group: OneStoreKeys
  ) async throws -> Kvrpcpb_BatchRollbackResponse {
    try await batchRollback(request)
  }

  public func resolveLock(
    _ request: Kvrpcpb_ResolveLockRequest, forKey key: Data
  ) async throws -> Kvrpcpb_ResolveLockResponse {
    try await resolveLock(request)
  }
}
