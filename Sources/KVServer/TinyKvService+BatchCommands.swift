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
    try await batchCommands(request: request, response: response, context: context) { _, _ in
      false
    }
  }

  /// `BatchCommands`, with the commands that `start` takes answering through its callback
  /// instead of a task each (see `serveBatchCommands`).
  func batchCommands(
    request: RPCAsyncSequence<Tinykvpb_BatchCommandsRequest, any Error>,
    response: RPCWriter<Tinykvpb_BatchCommandsResponse>,
    context: ServerContext,
    start: (
      Tinykvpb_BatchCommandsRequest.Request,
      _ post: @escaping @Sendable (Tinykvpb_BatchCommandsResponse.Response) -> Void
    ) -> Bool
  ) async throws {
    try await serveBatchCommands(
      request, to: response,
      commands: { ($0.requestIds, $0.requests) },
      start: start,
      answer: { await self.answer($0, context: context) })
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
      answer.cmd = nil
      (answer.statusCode, answer.statusMessage) = batchStatus(of: error)
    }
    return answer
  }
}

extension Tinykvpb_BatchCommandsResponse: BatchReply {}

extension TinyKvService {
  /// `BatchCommands` whose raw writes answer from the storage's callback (on a raft store, the
  /// apply loop's thread) without a task each; other commands run as their unary RPC.
  public func batchCommands(
    request: RPCAsyncSequence<Tinykvpb_BatchCommandsRequest, any Error>,
    response: RPCWriter<Tinykvpb_BatchCommandsResponse>,
    context: ServerContext
  ) async throws {
    try await batchCommands(request: request, response: response, context: context) {
      command, post in
      switch command.cmd {
      case .rawPut(let request):
        raw.put(request) { put in
          var answer = Tinykvpb_BatchCommandsResponse.Response()
          answer.rawPut = put
          post(answer)
        }
      case .rawDelete(let request):
        raw.delete(request) { delete in
          var answer = Tinykvpb_BatchCommandsResponse.Response()
          answer.rawDelete = delete
          post(answer)
        }
      default:
        return false
      }
      return true
    }
  }
}
