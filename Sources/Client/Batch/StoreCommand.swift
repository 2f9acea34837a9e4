import GRPCCore
import GRPCNIOTransportHTTP2
import GRPCProtobuf
import SwiftProtobuf
import TinyKVGRPC
import TinyKVProto

/// One command of a `BatchCommands` request, and one answer of its response.
package typealias BatchCommand = Tinykvpb_BatchCommandsRequest.Request
package typealias BatchAnswer = Tinykvpb_BatchCommandsResponse.Response

/// A request the router can send either way: as its own unary RPC of the TinyKv service, or
/// as one command on the store's `BatchCommands` stream (``BatchStream``).
package protocol StoreCommand: RegionScopedRequest, SwiftProtobuf.Message {
  associatedtype Response: RegionScopedResponse & SwiftProtobuf.Message
  /// The unary RPC.
  static var method: MethodDescriptor { get }
  /// Where the request sits in a batch's command.
  static var inBatch: WritableKeyPath<BatchCommand, Self> { get }
  /// Where its answer sits in a batch's answer.
  static var answerInBatch: KeyPath<BatchAnswer, Response> { get }
  /// How long one attempt, and the whole request, may take under `options`.
  static func timeouts(_ options: RoutingOptions) -> (request: Duration, attempt: Duration)
}

extension StoreCommand {
  /// The routing options' timeouts.
  package static func timeouts(
    _ options: RoutingOptions
  ) -> (request: Duration, attempt: Duration) {
    (options.timeout, options.attemptTimeout)
  }

  /// Sends the request as its unary RPC on `client`.
  func unary(
    on client: GRPCClient<HTTP2ClientTransport.Posix>, options: CallOptions
  ) async throws -> Response {
    try await client.unary(
      request: ClientRequest(message: self), descriptor: Self.method,
      serializer: ProtobufSerializer<Self>(), deserializer: ProtobufDeserializer<Response>(),
      options: options
    ) { try $0.message }
  }

  /// The request as a batch's command.
  var batched: BatchCommand {
    var command = BatchCommand()
    command[keyPath: Self.inBatch] = self
    return command
  }
}

extension Kvrpcpb_RawGetRequest: StoreCommand {
  package static var method: MethodDescriptor { Tinykvpb_TinyKv.Method.RawGet.descriptor }
  package static var inBatch: WritableKeyPath<BatchCommand, Self> { \.rawGet }
  package static var answerInBatch: KeyPath<BatchAnswer, Kvrpcpb_RawGetResponse> { \.rawGet }
}

extension Kvrpcpb_RawPutRequest: StoreCommand {
  package static var method: MethodDescriptor { Tinykvpb_TinyKv.Method.RawPut.descriptor }
  package static var inBatch: WritableKeyPath<BatchCommand, Self> { \.rawPut }
  package static var answerInBatch: KeyPath<BatchAnswer, Kvrpcpb_RawPutResponse> { \.rawPut }
}

extension Kvrpcpb_RawDeleteRequest: StoreCommand {
  package static var method: MethodDescriptor { Tinykvpb_TinyKv.Method.RawDelete.descriptor }
  package static var inBatch: WritableKeyPath<BatchCommand, Self> { \.rawDelete }
  package static var answerInBatch: KeyPath<BatchAnswer, Kvrpcpb_RawDeleteResponse> {
    \.rawDelete
  }
}

extension Kvrpcpb_RawScanRequest: StoreCommand {
  package static var method: MethodDescriptor { Tinykvpb_TinyKv.Method.RawScan.descriptor }
  package static var inBatch: WritableKeyPath<BatchCommand, Self> { \.rawScan }
  package static var answerInBatch: KeyPath<BatchAnswer, Kvrpcpb_RawScanResponse> { \.rawScan }
}

extension Kvrpcpb_GetRequest: StoreCommand {
  package static var method: MethodDescriptor { Tinykvpb_TinyKv.Method.KvGet.descriptor }
  package static var inBatch: WritableKeyPath<BatchCommand, Self> { \.get }
  package static var answerInBatch: KeyPath<BatchAnswer, Kvrpcpb_GetResponse> { \.get }
}

extension Kvrpcpb_ScanRequest: StoreCommand {
  package static var method: MethodDescriptor { Tinykvpb_TinyKv.Method.KvScan.descriptor }
  package static var inBatch: WritableKeyPath<BatchCommand, Self> { \.scan }
  package static var answerInBatch: KeyPath<BatchAnswer, Kvrpcpb_ScanResponse> { \.scan }
}

extension Kvrpcpb_PrewriteRequest: StoreCommand {
  package static var method: MethodDescriptor { Tinykvpb_TinyKv.Method.KvPrewrite.descriptor }
  package static var inBatch: WritableKeyPath<BatchCommand, Self> { \.prewrite }
  package static var answerInBatch: KeyPath<BatchAnswer, Kvrpcpb_PrewriteResponse> { \.prewrite }
}

extension Kvrpcpb_CommitRequest: StoreCommand {
  package static var method: MethodDescriptor { Tinykvpb_TinyKv.Method.KvCommit.descriptor }
  package static var inBatch: WritableKeyPath<BatchCommand, Self> { \.commit }
  package static var answerInBatch: KeyPath<BatchAnswer, Kvrpcpb_CommitResponse> { \.commit }
}

extension Kvrpcpb_BatchRollbackRequest: StoreCommand {
  package static var method: MethodDescriptor {
    Tinykvpb_TinyKv.Method.KvBatchRollback.descriptor
  }
  package static var inBatch: WritableKeyPath<BatchCommand, Self> { \.batchRollback }
  package static var answerInBatch: KeyPath<BatchAnswer, Kvrpcpb_BatchRollbackResponse> {
    \.batchRollback
  }
}

extension Kvrpcpb_CheckTxnStatusRequest: StoreCommand {
  package static var method: MethodDescriptor {
    Tinykvpb_TinyKv.Method.KvCheckTxnStatus.descriptor
  }
  package static var inBatch: WritableKeyPath<BatchCommand, Self> { \.checkTxnStatus }
  package static var answerInBatch: KeyPath<BatchAnswer, Kvrpcpb_CheckTxnStatusResponse> {
    \.checkTxnStatus
  }
}

extension Kvrpcpb_ResolveLockRequest: StoreCommand {
  package static var method: MethodDescriptor { Tinykvpb_TinyKv.Method.KvResolveLock.descriptor }
  package static var inBatch: WritableKeyPath<BatchCommand, Self> { \.resolveLock }
  package static var answerInBatch: KeyPath<BatchAnswer, Kvrpcpb_ResolveLockResponse> {
    \.resolveLock
  }
}

extension Coprocessor_Request: StoreCommand {
  package static var method: MethodDescriptor { Tinykvpb_TinyKv.Method.Coprocessor.descriptor }
  package static var inBatch: WritableKeyPath<BatchCommand, Self> { \.coprocessor }
  package static var answerInBatch: KeyPath<BatchAnswer, Coprocessor_Response> { \.coprocessor }

  /// A push-down reads a region's part in one attempt: `pushDownAttemptTimeout` for it.
  package static func timeouts(
    _ options: RoutingOptions
  ) -> (request: Duration, attempt: Duration) {
    (options.timeout + options.pushDownAttemptTimeout, options.pushDownAttemptTimeout)
  }
}
