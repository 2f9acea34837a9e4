import GRPCCore
import Testing
import TiKVGRPC
import TiKVProto

@Suite("PD service: TSO stream")
struct TsoTests {
  /// Sends one request per count on one stream and collects the replies.
  func exchange(
    _ pd: PDClient, clusterID: UInt64, counts: [UInt32]
  ) async throws -> [TiKVPdpb_TsoResponse] {
    try await pd.tso(
      requestProducer: { writer in
        for count in counts {
          var request = TiKVPdpb_TsoRequest()
          request.header = header(clusterID)
          request.count = count
          try await writer.write(request)
        }
      },
      onResponse: { response in
        var replies: [TiKVPdpb_TsoResponse] = []
        for try await reply in response.messages { replies.append(reply) }
        return replies
      })
  }

  @Test("one reply per request, in order, with its count and the batch's largest timestamp")
  func batches() async throws {
    try await withPDService { pd, node in
      let counts: [UInt32] = [1, 5, 100, 1, 3000, 2]
      let replies = try await exchange(pd, clusterID: node.clusterID, counts: counts)
      #expect(replies.map(\.count) == counts)
      for reply in replies {
        #expect(reply.header.clusterID == node.clusterID)
        #expect(!reply.header.hasError)
        #expect(reply.timestamp.physical > 1_600_000_000_000)
      }
      // Each batch is `count` timestamps ending at the reply's: the next batch starts after it.
      for (previous, next) in zip(replies, replies.dropFirst()) {
        let last = previous.timestamp.physical << 18 | previous.timestamp.logical
        let end = next.timestamp.physical << 18 | next.timestamp.logical
        #expect(end - Int64(next.count) + 1 > last)
      }
    }
  }

  @Test("count 0 is refused with an error header, and the stream goes on")
  func zeroCount() async throws {
    try await withPDService { pd, node in
      let replies = try await exchange(pd, clusterID: node.clusterID, counts: [0, 1])
      #expect(replies.count == 2)
      #expect(replies[0].header.hasError)
      #expect(!replies[1].header.hasError)
      #expect(replies[1].count == 1)
    }
  }

  @Test("a wrong cluster id is refused in the reply's header")
  func wrongClusterID() async throws {
    try await withPDService { pd, node in
      let replies = try await exchange(pd, clusterID: node.clusterID + 1, counts: [1])
      #expect(replies.count == 1)
      #expect(replies[0].header.error.message.contains("mismatch cluster id"))
    }
  }
}
