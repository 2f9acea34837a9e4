import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Testing
import TinyKVGRPC
import TinyKVProto

@testable import Scheduler

/// The gRPC adapter end to end in one process: a real server on a loopback port and
/// grpc-swift's generated client.
@Suite("Scheduler gRPC service")
struct SchedulerServiceTests {
  /// Runs `body` against a scheduler served on a free loopback port.
  func withService(
    _ body:
      @Sendable (Schedulerpb_Scheduler.Client<HTTP2ClientTransport.Posix>, SchedulerNode)
      async throws -> Void
  ) async throws {
    let test = try TestNode()
    let node = test.node
    let server = GRPCServer(
      transport: .http2NIOPosix(
        address: .ipv4(host: "127.0.0.1", port: 0), transportSecurity: .plaintext),
      services: [SchedulerService(node: node, name: "test", clientURLs: ["http://127.0.0.1:0"])])
    try await withThrowingDiscardingTaskGroup { group in
      group.addTask { try await server.serve() }
      let port = try #require(try await server.listeningAddress?.ipv4?.port)
      try await withGRPCClient(
        transport: .http2NIOPosix(
          target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext)
      ) { client in
        try await body(Schedulerpb_Scheduler.Client(wrapping: client), node)
      }
      server.beginGracefulShutdown()
    }
    _ = test
  }

  func header(_ id: UInt64) -> Schedulerpb_RequestHeader {
    var header = Schedulerpb_RequestHeader()
    header.clusterID = id
    return header
  }

  @Test("GetMembers needs no cluster id; other calls with a wrong id are refused")
  func clusterID() async throws {
    try await withService { scheduler, node in
      let members = try await scheduler.getMembers(Schedulerpb_GetMembersRequest())
      #expect(members.header.clusterID == node.clusterID)
      #expect(members.leader.name == "test")
      var request = Schedulerpb_AllocIDRequest()
      request.header = self.header(node.clusterID + 1)
      await #expect(throws: RPCError.self) { _ = try await scheduler.allocID(request) }
      request.header = self.header(node.clusterID)
      let response = try await scheduler.allocID(request)
      #expect(response.id > 0)
      #expect(response.header.clusterID == node.clusterID)
    }
  }

  @Test("bootstrap once; before it, region lookups answer NOT_BOOTSTRAPPED")
  func bootstrap() async throws {
    try await withService { scheduler, node in
      var get = Schedulerpb_GetRegionRequest()
      get.header = self.header(node.clusterID)
      #expect(try await scheduler.getRegion(get).header.error.type == .notBootstrapped)
      var boot = Schedulerpb_BootstrapRequest()
      boot.header = self.header(node.clusterID)
      boot.store = storeMeta(1)
      #expect(try await scheduler.bootstrap(boot).header.error.type == .ok)
      #expect(try await scheduler.bootstrap(boot).header.error.type == .alreadyBootstrapped)
      var isBootstrapped = Schedulerpb_IsBootstrappedRequest()
      isBootstrapped.header = self.header(node.clusterID)
      #expect(try await scheduler.isBootstrapped(isBootstrapped).bootstrapped)
      let response = try await scheduler.getRegion(get)
      #expect(response.header.error.type == .ok)
      #expect(!response.hasRegion)
    }
  }

  @Test(
    "the TSO stream answers each request with its count and its largest timestamp; zero is refused")
  func tsoStream() async throws {
    try await withService { scheduler, node in
      let id = node.clusterID
      let replies = try await scheduler.tso(requestProducer: { writer in
        for count in [1, 10, 0, 3] as [UInt32] {
          var request = Schedulerpb_TsoRequest()
          request.header = self.header(id)
          request.count = count
          try await writer.write(request)
        }
      }) { response in
        var all: [Schedulerpb_TsoResponse] = []
        for try await message in response.messages { all.append(message) }
        return all
      }
      #expect(replies.map(\.count) == [1, 10, 0, 3])
      #expect(replies[2].header.error.type == .unknown)
      let packed = [replies[0], replies[1], replies[3]].map {
        Timestamp(physical: $0.timestamp.physical, logical: $0.timestamp.logical)
      }
      #expect(packed[0] < packed[1] && packed[1] < packed[2])
      #expect(replies.allSatisfy { $0.header.clusterID == id })
    }
  }

  @Test("region heartbeats build the map and an under-replicated region gets an add-peer back")
  func heartbeatStream() async throws {
    try await withService { scheduler, node in
      let id = node.clusterID
      try node.cluster.bootstrap(store: storeMeta(1))
      try node.cluster.putStore(storeMeta(2))
      try node.cluster.putStore(storeMeta(3))
      let replies = try await scheduler.regionHeartbeat(requestProducer: { writer in
        var request = Schedulerpb_RegionHeartbeatRequest()
        request.header = self.header(id)
        let info = region(2, "", "", peers: [(21, 1)])
        request.region = info.meta
        request.leader = info.leader!
        try await writer.write(request)
      }) { response in
        var all: [Schedulerpb_RegionHeartbeatResponse] = []
        for try await message in response.messages { all.append(message) }
        return all
      }
      let reply = try #require(replies.first)
      #expect(reply.regionID == 2)
      #expect(reply.changePeer.changeType == .addNode)
      #expect([2, 3].contains(reply.changePeer.peer.storeID))
      #expect(reply.targetPeer.id == 21)
      var get = Schedulerpb_GetRegionRequest()
      get.header = self.header(id)
      get.regionKey = Data("anything".utf8)
      let found = try await scheduler.getRegion(get)
      #expect(found.region.id == 2)
      #expect(found.leader.id == 21)
      var op = Schedulerpb_GetOperatorRequest()
      op.header = self.header(id)
      op.regionID = 2
      #expect(try await scheduler.getOperator(op).status == .running)
    }
  }

  @Test("a stale heartbeat is answered with an error on the stream, which stays open")
  func staleHeartbeatOnStream() async throws {
    try await withService { scheduler, node in
      let id = node.clusterID
      try node.cluster.bootstrap(store: storeMeta(1))
      var config = try node.cluster.clusterConfig()
      config.maxPeerCount = 1
      try node.cluster.putClusterConfig(config)
      let replies = try await scheduler.regionHeartbeat(requestProducer: { writer in
        for version in [5, 4, 6] as [UInt64] {
          var request = Schedulerpb_RegionHeartbeatRequest()
          request.header = self.header(id)
          let info = region(7, "", "", version: version, peers: [(71, 1)])
          request.region = info.meta
          request.leader = info.leader!
          try await writer.write(request)
        }
      }) { response in
        var all: [Schedulerpb_RegionHeartbeatResponse] = []
        for try await message in response.messages { all.append(message) }
        return all
      }
      // Only the stale one (version 4 after 5) gets an answer: an error, not a command.
      #expect(replies.count == 1)
      #expect(replies.first?.header.error.type == .unknown)
      #expect(replies.first?.regionID == 7)
      #expect(try node.cluster.region(id: 7)?.epoch.version == 6)
    }
  }

  @Test("a TSO stream naming another cluster is refused")
  func tsoWrongCluster() async throws {
    try await withService { scheduler, node in
      let id = node.clusterID
      await #expect(throws: RPCError.self) {
        _ = try await scheduler.tso(requestProducer: { writer in
          var request = Schedulerpb_TsoRequest()
          request.header = self.header(id &+ 1)
          request.count = 1
          try await writer.write(request)
        }) { response in
          for try await _ in response.messages {}
        }
      }
    }
  }
}
