import Foundation
import GRPCCore
import Testing
import TiKVGRPC
import TiKVProto

/// `tikvpb.Tikv/BatchCommands` against a standalone store: commands with ids on one stream,
/// each answered once with its own id.
@Suite("TiKV BatchCommands")
struct BatchCommandsRPCTests {
  private func put(_ key: String, _ value: String) -> Tikvpb_BatchCommandsRequest.Request {
    var put = TiKVKvrpcpb_RawPutRequest()
    put.key = bytes(key)
    put.value = bytes(value)
    var request = Tikvpb_BatchCommandsRequest.Request()
    request.rawPut = put
    return request
  }

  private func get(_ key: String) -> Tikvpb_BatchCommandsRequest.Request {
    var get = TiKVKvrpcpb_RawGetRequest()
    get.key = bytes(key)
    var request = Tikvpb_BatchCommandsRequest.Request()
    request.rawGet = get
    return request
  }

  /// Sends `batches` on one stream (each as one message) and collects every answer by id.
  private func exchange(
    _ client: TikvClient, _ batches: [[(UInt64, Tikvpb_BatchCommandsRequest.Request)]]
  ) async throws -> [UInt64: Tikvpb_BatchCommandsResponse.Response] {
    try await client.batchCommands(
      requestProducer: { writer in
        for batch in batches {
          var message = Tikvpb_BatchCommandsRequest()
          message.requestIds = batch.map(\.0)
          message.requests = batch.map(\.1)
          try await writer.write(message)
        }
      },
      onResponse: { response in
        var answers: [UInt64: Tikvpb_BatchCommandsResponse.Response] = [:]
        for try await message in response.messages {
          #expect(message.requestIds.count == message.responses.count)
          for (id, answer) in zip(message.requestIds, message.responses) {
            #expect(answers[id] == nil, "request \(id) answered twice")
            answers[id] = answer
          }
        }
        return answers
      })
  }

  @Test("raw writes and reads by id; an unknown command answers UNIMPLEMENTED in its status")
  func commandsByID() async throws {
    try await TikvLoopback.withStandalone { client in
      var empty = Tikvpb_BatchCommandsRequest.Request()
      empty.empty.testID = 42
      let written = try await exchange(
        client,
        [[(1, put("a", "1")), (2, put("b", "2"))], [(3, empty), (4, .init())]])
      #expect(Set(written.keys) == [1, 2, 3, 4])
      #expect(written[1]?.rawPut.error == "" && written[1]?.cmd != nil)
      #expect(written[3]?.empty.testID == 42)
      #expect(written[4]?.cmd == nil)
      #expect(written[4]?.statusCode == Int32(RPCError.Code.unimplemented.rawValue))
      let read = try await exchange(client, [[(7, get("a")), (8, get("b")), (9, get("c"))]])
      #expect(read[7]?.rawGet.value == bytes("1"))
      #expect(read[8]?.rawGet.value == bytes("2"))
      #expect(read[9]?.rawGet.notFound == true)
    }
  }

  @Test("a message with more ids than commands ends the stream with INVALID_ARGUMENT")
  func mismatchedIDs() async throws {
    try await TikvLoopback.withStandalone { client in
      let message = Tikvpb_BatchCommandsRequest.with {
        $0.requestIds = [1, 2]
        $0.requests = [put("a", "1")]
      }
      let error = await #expect(throws: RPCError.self) {
        try await client.batchCommands(
          requestProducer: { try await $0.write(message) },
          onResponse: { response in for try await _ in response.messages {} })
      }
      #expect(error?.code == .invalidArgument)
    }
  }
}
