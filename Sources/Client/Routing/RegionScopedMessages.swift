import TinyKVProto

/// A request addressed to one region through its `context` (region id, epoch, peer), which the
/// router fills for each attempt. Every key-value request of the TinyKv service has it.
package protocol RegionScopedRequest: Sendable {
  var context: Kvrpcpb_Context { get set }
}

/// A response that may carry a region error: what the router inspects to decide whether to
/// retry elsewhere. Every key-value response of the TinyKv service has these two fields.
package protocol RegionScopedResponse: Sendable {
  var hasRegionError: Bool { get }
  var regionError: Errorpb_Error { get }
}

extension Kvrpcpb_RawGetRequest: RegionScopedRequest {}
extension Kvrpcpb_RawPutRequest: RegionScopedRequest {}
extension Kvrpcpb_RawDeleteRequest: RegionScopedRequest {}
extension Kvrpcpb_RawScanRequest: RegionScopedRequest {}

extension Kvrpcpb_RawGetResponse: RegionScopedResponse {}
extension Kvrpcpb_RawPutResponse: RegionScopedResponse {}
extension Kvrpcpb_RawDeleteResponse: RegionScopedResponse {}
extension Kvrpcpb_RawScanResponse: RegionScopedResponse {}

extension Kvrpcpb_GetRequest: RegionScopedRequest {}
extension Kvrpcpb_ScanRequest: RegionScopedRequest {}
extension Kvrpcpb_PrewriteRequest: RegionScopedRequest {}
extension Kvrpcpb_CommitRequest: RegionScopedRequest {}
extension Kvrpcpb_BatchRollbackRequest: RegionScopedRequest {}
extension Kvrpcpb_CheckTxnStatusRequest: RegionScopedRequest {}
extension Kvrpcpb_ResolveLockRequest: RegionScopedRequest {}

extension Kvrpcpb_GetResponse: RegionScopedResponse {}
extension Kvrpcpb_ScanResponse: RegionScopedResponse {}
extension Kvrpcpb_PrewriteResponse: RegionScopedResponse {}
extension Kvrpcpb_CommitResponse: RegionScopedResponse {}
extension Kvrpcpb_BatchRollbackResponse: RegionScopedResponse {}
extension Kvrpcpb_CheckTxnStatusResponse: RegionScopedResponse {}
extension Kvrpcpb_ResolveLockResponse: RegionScopedResponse {}

/// A raw write's response: the store's error text, if any.
package protocol RawWriteResponse {
  var error: String { get }
}

extension Kvrpcpb_RawPutResponse: RawWriteResponse {}
extension Kvrpcpb_RawDeleteResponse: RawWriteResponse {}
