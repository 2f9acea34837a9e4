import Scheduler
import TiKVProto

/// A response message of `pdpb.PD`, all of which start with a header.
protocol PDResponse: Sendable {
  init()
  var header: TiKVPdpb_ResponseHeader { get set }
}

extension TiKVPdpb_GetMembersResponse: PDResponse {}
extension TiKVPdpb_GetClusterInfoResponse: PDResponse {}
extension TiKVPdpb_TsoResponse: PDResponse {}
extension TiKVPdpb_GetStoreResponse: PDResponse {}
extension TiKVPdpb_GetAllStoresResponse: PDResponse {}
extension TiKVPdpb_GetRegionResponse: PDResponse {}
extension TiKVPdpb_ScanRegionsResponse: PDResponse {}
extension TiKVPdpb_GetGCSafePointResponse: PDResponse {}
extension TiKVPdpb_UpdateGCSafePointResponse: PDResponse {}
extension TiKVPdpb_UpdateServiceGCSafePointResponse: PDResponse {}

extension PDService {
  /// A header carrying the cluster id, and `error` if given. On success the header has no
  /// `error` field at all (clients test for its presence, not for type `OK`).
  func header(_ error: SchedulerError? = nil) -> TiKVPdpb_ResponseHeader {
    var header = TiKVPdpb_ResponseHeader()
    header.clusterID = node.clusterID
    if let error {
      var wire = TiKVPdpb_Error()
      wire.type = error.code.pdErrorType
      wire.message = error.message
      header.error = wire
    }
    return header
  }

  /// Refuses a request that names another cluster.
  /// - Throws: `clusterMismatch`, which the response header reports.
  func validate(_ header: TiKVPdpb_RequestHeader) throws(SchedulerError) {
    guard header.clusterID == node.clusterID else {
      throw SchedulerError(
        code: .clusterMismatch,
        message: "mismatch cluster id, need \(node.clusterID) but got \(header.clusterID)")
    }
  }

  /// Builds a response with `fill` after checking the cluster id; a `SchedulerError` (a wrong
  /// cluster id included) becomes the header's error. Every response carries the cluster id.
  func respond<R: PDResponse>(
    to requestHeader: TiKVPdpb_RequestHeader,
    _ fill: (inout R) async throws(SchedulerError) -> Void
  ) async -> R {
    var response = R()
    do {
      try validate(requestHeader)
      try await fill(&response)
      response.header = header()
    } catch {
      response.header = header(error)
    }
    return response
  }
}

extension SchedulerError.Code {
  /// PD's error type for this code; codes PD has no type for are `UNKNOWN`, as PD reports
  /// them.
  var pdErrorType: TiKVPdpb_ErrorType {
    switch self {
    case .notBootstrapped: .notBootstrapped
    case .alreadyBootstrapped: .alreadyBootstrapped
    case .storeTombstone: .storeTombstone
    case .regionNotFound: .regionNotFound
    default: .unknown
    }
  }
}
