import GRPCCore
import KVServer
import TiKVGRPC
import TiKVProto

/// `BatchCommands`, as TiKV serves it to client-go-style clients: many commands on one stream,
/// each with an id, each answered once in batches of what is ready, in any order. Each command
/// runs as this service's unary RPC; one that fails as a whole (UNIMPLEMENTED for a field the
/// store does not serve, say) answers with its status in `status_code` and `status_message`
/// (a TinyKV-Swift addition to kvproto's message) instead of ending the stream.
extension TikvService {
  public func batchCommands(
    request: RPCAsyncSequence<Tikvpb_BatchCommandsRequest, any Error>,
    response: RPCWriter<Tikvpb_BatchCommandsResponse>,
    context: ServerContext
  ) async throws {
    try await serveBatchCommands(
      request, to: response,
      commands: { ($0.requestIds, $0.requests) },
      answer: { await self.answer($0, context: context) })
  }

  /// Runs one command as its unary RPC and wraps its answer (or its failure).
  private func answer(
    _ command: Tikvpb_BatchCommandsRequest.Request, context: ServerContext
  ) async -> Tikvpb_BatchCommandsResponse.Response {
    var answer = Tikvpb_BatchCommandsResponse.Response()
    do {
      switch command.cmd {
      case .get(let request): answer.get = try await kvGet(request: request, context: context)
      case .scan(let request): answer.scan = try await kvScan(request: request, context: context)
      case .prewrite(let request):
        answer.prewrite = try await kvPrewrite(request: request, context: context)
      case .commit(let request):
        answer.commit = try await kvCommit(request: request, context: context)
      case .cleanup(let request):
        answer.cleanup = try await kvCleanup(request: request, context: context)
      case .batchGet(let request):
        answer.batchGet = try await kvBatchGet(request: request, context: context)
      case .batchRollback(let request):
        answer.batchRollback = try await kvBatchRollback(request: request, context: context)
      case .scanLock(let request):
        answer.scanLock = try await kvScanLock(request: request, context: context)
      case .resolveLock(let request):
        answer.resolveLock = try await kvResolveLock(request: request, context: context)
      case .rawGet(let request):
        answer.rawGet = try await rawGet(request: request, context: context)
      case .rawBatchGet(let request):
        answer.rawBatchGet = try await rawBatchGet(request: request, context: context)
      case .rawPut(let request):
        answer.rawPut = try await rawPut(request: request, context: context)
      case .rawBatchPut(let request):
        answer.rawBatchPut = try await rawBatchPut(request: request, context: context)
      case .rawDelete(let request):
        answer.rawDelete = try await rawDelete(request: request, context: context)
      case .rawBatchDelete(let request):
        answer.rawBatchDelete = try await rawBatchDelete(request: request, context: context)
      case .rawScan(let request):
        answer.rawScan = try await rawScan(request: request, context: context)
      case .rawDeleteRange(let request):
        answer.rawDeleteRange = try await rawDeleteRange(request: request, context: context)
      case .coprocessor(let request):
        answer.coprocessor = try await coprocessor(request: request, context: context)
      case .pessimisticLock(let request):
        answer.pessimisticLock = try await kvPessimisticLock(request: request, context: context)
      case .pessimisticRollback(let request):
        answer.pessimisticRollback = try await kvPessimisticRollback(
          request: request, context: context)
      case .checkTxnStatus(let request):
        answer.checkTxnStatus = try await kvCheckTxnStatus(request: request, context: context)
      case .txnHeartBeat(let request):
        answer.txnHeartBeat = try await kvTxnHeartBeat(request: request, context: context)
      case .checkSecondaryLocks(let request):
        answer.checkSecondaryLocks = try await kvCheckSecondaryLocks(
          request: request, context: context)
      case .empty(let request):
        if request.delayTime > 0 { try await Task.sleep(for: .milliseconds(request.delayTime)) }
        answer.empty.testID = request.testID
      case nil:
        throw RPCError(
          code: .unimplemented,
          message: "BatchCommands: a command this store does not serve (or none)")
      }
    } catch {
      answer.cmd = nil
      (answer.statusCode, answer.statusMessage) = batchStatus(of: error)
    }
    return answer
  }
}

extension Tikvpb_BatchCommandsResponse: BatchReply {}
