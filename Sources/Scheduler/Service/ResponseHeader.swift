import GRPCCore
import TinyKVProto

/// A response message of the `Scheduler` service, all of which start with a header.
protocol SchedulerResponse: Sendable {
  init()
  var header: Schedulerpb_ResponseHeader { get set }
}

extension Schedulerpb_GetMembersResponse: SchedulerResponse {}
extension Schedulerpb_TsoResponse: SchedulerResponse {}
extension Schedulerpb_BootstrapResponse: SchedulerResponse {}
extension Schedulerpb_IsBootstrappedResponse: SchedulerResponse {}
extension Schedulerpb_AllocIDResponse: SchedulerResponse {}
extension Schedulerpb_GetStoreResponse: SchedulerResponse {}
extension Schedulerpb_PutStoreResponse: SchedulerResponse {}
extension Schedulerpb_GetAllStoresResponse: SchedulerResponse {}
extension Schedulerpb_StoreHeartbeatResponse: SchedulerResponse {}
extension Schedulerpb_RegionHeartbeatResponse: SchedulerResponse {}
extension Schedulerpb_GetRegionResponse: SchedulerResponse {}
extension Schedulerpb_ScanRegionsResponse: SchedulerResponse {}
extension Schedulerpb_AskSplitResponse: SchedulerResponse {}
extension Schedulerpb_GetClusterConfigResponse: SchedulerResponse {}
extension Schedulerpb_PutClusterConfigResponse: SchedulerResponse {}
extension Schedulerpb_ScatterRegionResponse: SchedulerResponse {}
extension Schedulerpb_GetGCSafePointResponse: SchedulerResponse {}
extension Schedulerpb_UpdateGCSafePointResponse: SchedulerResponse {}
extension Schedulerpb_GetOperatorResponse: SchedulerResponse {}
extension Schedulerpb_AddOperatorResponse: SchedulerResponse {}

extension SchedulerService {
  /// A header carrying the cluster id (and `error`, if given).
  func header(_ error: SchedulerError? = nil) -> Schedulerpb_ResponseHeader {
    var header = Schedulerpb_ResponseHeader()
    header.clusterID = node.clusterID
    if let error {
      var wire = Schedulerpb_Error()
      wire.type = error.code.wireType
      wire.message = error.message
      header.error = wire
    }
    return header
  }

  /// Refuses a request that names another cluster, as TinyKV's scheduler does (a gRPC
  /// `FAILED_PRECONDITION` status).
  func validate(_ header: Schedulerpb_RequestHeader) throws(RPCError) {
    guard header.clusterID == node.clusterID else {
      throw RPCError(
        code: .failedPrecondition,
        message: "mismatch cluster id, need \(node.clusterID) but got \(header.clusterID)")
    }
  }

  /// Builds a response with `fill`; a `SchedulerError` becomes the header's error. Every
  /// response carries the cluster id.
  func respond<R: SchedulerResponse>(
    to requestHeader: Schedulerpb_RequestHeader, _ fill: (inout R) throws(SchedulerError) -> Void
  ) throws(RPCError) -> R {
    try validate(requestHeader)
    var response = R()
    do {
      try fill(&response)
      response.header = header()
    } catch {
      response.header = header(error)
    }
    return response
  }
}
