import GRPCCore
import KVServer
import TiKVGRPC
import TiKVProto
import TinyKVProto

/// `Coprocessor`, TiKV's shape of TinyKV's push-down RPC: the same request and answer under
/// kvproto's names, served by the same `CoprocessorHandler` (docs/COPROCESSOR.md). The context
/// keeps TinyKV's routing part; the lock and region error come back in TiKV's forms.
extension TikvService {
  public func coprocessor(
    request: TiKVCoprocessor_Request, context: ServerContext
  ) async throws -> TiKVCoprocessor_Response {
    try NotServed.checkAPIVersion(request.context, "Coprocessor")
    var tiny = Coprocessor_Request()
    tiny.context = request.context.tinyKV
    tiny.tp = request.tp
    tiny.data = request.data
    tiny.startTs = request.startTs
    tiny.ranges = request.ranges.map { range in
      var pb = Coprocessor_KeyRange()
      pb.start = range.start
      pb.end = range.end
      return pb
    }
    let answer = try await TransactionRPCErrors.mapping("Coprocessor") {
      try await copr.handle(tiny)
    }
    var response = TiKVCoprocessor_Response()
    response.data = answer.data
    response.otherError = answer.otherError
    if answer.hasLocked { response.locked = TiKVKvrpcpb_LockInfo(tinyKV: answer.locked) }
    if answer.hasRegionError {
      response.regionError = TiKVErrorpb_Error(tinyKV: answer.regionError)
    }
    return response
  }
}
