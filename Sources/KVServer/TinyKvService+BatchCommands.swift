import GRPCCore
import Storage
import TinyKVGRPC
import TinyKVProto

/// `BatchCommands` (a TinyKV-Swift addition to `tinykvpb.TinyKv`, as TiKV's): the client sends
/// many commands on one stream, each with an id, and gets each answer once, in batches of what
/// is ready, in any order. Each command runs as the service's own unary RPC, concurrently with
/// the others; one that fails as a whole answers with its status in `status_code` and
/// `status_message` instead of ending the stream. Every TinyKv service gets it from its unary
/// methods.
extension Tinykvpb_TinyKv.SimpleServiceProtocol {
  public func batchCommands(
    request: RPCAsyncSequence<Tinykvpb_BatchCommandsRequest, any Error>,
    response: RPCWriter<Tinykvpb_BatchCommandsResponse>,
    context: ServerContext
  ) async throws {
    let answers = BatchAnswers()
    try await withThrowingDiscardingTaskGroup { group in
      group.addTask { try await answers.write(to: response) }
      defer { answers.endInput() }
      for try await batch in request {
        guard batch.requests.count == batch.requestIds.count else {
          throw RPCError(
            code: .invalidArgument,
            message: "BatchCommands: \(batch.requests.count) requests with "
              + "\(batch.requestIds.count) ids")
        }
        answers.started(batch.requests.count)
        for (id, command) in zip(batch.requestIds, batch.requests) {
          group.addTask { answers.post(id, await self.answer(command, context: context)) }
        }
      }
    }
  }

  /// Runs one command as its unary RPC and wraps its answer (or its failure).
  private func answer(
    _ command: Tinykvpb_BatchCommandsRequest.Request, context: ServerContext
  ) async -> Tinykvpb_BatchCommandsResponse.Response {
    var answer = Tinykvpb_BatchCommandsResponse.Response()
    do {
      switch command.cmd {
      case .get(let request): answer.get = try await kvGet(request: request, context: context)
      case .scan(let request): answer.scan = try await kvScan(request: request, context: context)
      case .prewrite(let request):
        answer.prewrite = try await kvPrewrite(request: request, context: context)
      case .commit(let request):
        answer.commit = try await kvCommit(request: request, context: context)
      case .batchRollback(let request):
        answer.batchRollback = try await kvBatchRollback(request: request, context: context)
      case .resolveLock(let request):
        answer.resolveLock = try await kvResolveLock(request: request, context: context)
      case .rawGet(let request):
        answer.rawGet = try await rawGet(request: request, context: context)
      case .rawPut(let request):
        answer.rawPut = try await rawPut(request: request, context: context)
      case .rawDelete(let request):
        answer.rawDelete = try await rawDelete(request: request, context: context)
      case .rawScan(let request):
        answer.rawScan = try await rawScan(request: request, context: context)
      case .coprocessor(let request):
        answer.coprocessor = try await coprocessor(request: request, context: context)
      case .checkTxnStatus(let request):
        answer.checkTxnStatus = try await kvCheckTxnStatus(request: request, context: context)
      case .empty(let request):
        if request.delayTime > 0 { try await Task.sleep(for: .milliseconds(request.delayTime)) }
        answer.empty.testID = request.testID
      case nil:
        throw RPCError(
          code: .invalidArgument, message: "BatchCommands: a request without a command")
      }
    } catch {
      let status = (error as? RPCError) ?? RPCError(code: .internalError, message: "\(error)")
      answer.cmd = nil
      answer.statusCode = Int32(status.code.rawValue)
      answer.statusMessage = status.message
    }
    return answer
  }
}
