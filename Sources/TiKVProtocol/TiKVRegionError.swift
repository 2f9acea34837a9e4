import Storage
import TiKVProto
import TinyKVProto

extension TiKVErrorpb_Error {
  /// The TiKV form of a store's region error: the same error, field for field (`not_leader`
  /// with the leader, `epoch_not_match` with the current regions, `region_not_found`,
  /// `key_not_in_region`, `stale_command`, `store_not_match`, and the message).
  package init(_ error: RegionError) {
    self.init(tinyKV: error.error)
  }

  /// The TiKV form of TinyKV's `errorpb.Error` (see ``init(_:)``).
  package init(tinyKV regionError: Errorpb_Error) {
    do {
      self = try regionError.reencoded()
    } catch {
      // Unreachable while the two errorpb files share their numbers; still an answer.
      self.init()
      message = "\(regionError.message) (not convertible to TiKV's errorpb: \(error))"
    }
  }
}

/// A TiKV response with a `region_error` slot.
protocol TiKVRegionErrorResponse {
  init()
  var regionError: TiKVErrorpb_Error { get set }
}

/// A TiKV raw response with both slots: `region_error` and the `error` string.
protocol TiKVRawResponse: TiKVRegionErrorResponse {
  var error: String { get set }
}

extension TiKVRawResponse {
  /// Records `failure`: a `RegionError` in `region_error` (TiKV's clients re-route on it),
  /// anything else as text in `error`.
  mutating func fail(with failure: any Error) {
    if let region = failure as? RegionError {
      regionError = TiKVErrorpb_Error(region)
    } else {
      error = String(describing: failure)
    }
  }
}

extension TiKVKvrpcpb_RawGetResponse: TiKVRawResponse {}
extension TiKVKvrpcpb_RawPutResponse: TiKVRawResponse {}
extension TiKVKvrpcpb_RawBatchPutResponse: TiKVRawResponse {}
extension TiKVKvrpcpb_RawDeleteResponse: TiKVRawResponse {}
extension TiKVKvrpcpb_RawBatchDeleteResponse: TiKVRawResponse {}
extension TiKVKvrpcpb_RawDeleteRangeResponse: TiKVRawResponse {}
extension TiKVKvrpcpb_RawBatchGetResponse: TiKVRegionErrorResponse {}
extension TiKVKvrpcpb_RawScanResponse: TiKVRegionErrorResponse {}
