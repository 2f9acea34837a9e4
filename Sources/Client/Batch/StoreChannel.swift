import GRPCCore
import GRPCNIOTransportHTTP2
import TinyKVProto

/// How requests reach one store: its connection, and the `BatchCommands` stream on it when
/// the client batches (``RoutingOptions/batchCommands``).
package struct StoreChannel: Sendable {
  let client: GRPCClient<HTTP2ClientTransport.Posix>
  let batch: BatchStream?

  /// Sends `request` on the batch stream (unless there is none, or the store does not serve
  /// it), or as its unary RPC with `options`, and returns the store's answer.
  /// - Throws: ``BatchStreamError`` from the stream; the command's status as an `RPCError` when
  ///   the store failed it as a whole (as a unary call throws); gRPC's errors on the unary path.
  package func call<Command: StoreCommand>(
    _ request: Command, options: CallOptions, deadline: ContinuousClock.Instant
  ) async throws -> Command.Response {
    guard let batch, !batch.isUnsupported else {
      return try await request.unary(on: client, options: options)
    }
    let answer = try await batch.send(request.batched, deadline: deadline)
    // The store had the command: whatever it answered, it was sent.
    DispatchMark.current?.markOpened()
    if answer.statusCode != 0 {
      let code = Status.Code(rawValue: Int(answer.statusCode)).flatMap(RPCError.Code.init)
      throw RPCError(code: code ?? .unknown, message: answer.statusMessage)
    }
    guard answer.cmd != nil else {
      throw RPCError(code: .internalError, message: "BatchCommands: an answer without a command")
    }
    return answer[keyPath: Command.answerInBatch]
  }
}
