import Foundation
import GRPCCore
import TinyKVGRPC
import TinyKVProto

/// TinyKV's `Scheduler` gRPC service: a thin adapter that checks the cluster id, calls the
/// node's handlers in our own types, and puts results and errors into TinyKV's messages.
public struct SchedulerService: Schedulerpb_Scheduler.SimpleServiceProtocol {
  let node: SchedulerNode
  let member: Schedulerpb_Member

  /// - Parameters:
  ///   - node: the scheduler to serve.
  ///   - name: this member's name (`--name`).
  ///   - clientURLs: where clients reach it (`--client-urls`).
  public init(node: SchedulerNode, name: String, clientURLs: [String]) {
    self.node = node
    let identity = SchedulerMember(name: name, clientURLs: clientURLs)
    var member = Schedulerpb_Member()
    member.name = identity.name
    member.memberID = identity.id
    member.clientUrls = identity.clientURLs
    member.peerUrls = identity.clientURLs
    self.member = member
  }

  public func getMembers(
    request: Schedulerpb_GetMembersRequest, context: ServerContext
  ) async throws -> Schedulerpb_GetMembersResponse {
    // No cluster id check: this is how a client learns the id.
    var response = Schedulerpb_GetMembersResponse()
    response.header = header()
    response.members = [member]
    response.leader = member
    response.etcdLeader = member
    return response
  }

  public func tso(
    request: RPCAsyncSequence<Schedulerpb_TsoRequest, any Error>,
    response: RPCWriter<Schedulerpb_TsoResponse>,
    context: ServerContext
  ) async throws {
    for try await message in request {
      try validate(message.header)
      var reply = Schedulerpb_TsoResponse()
      do {
        let timestamp = try await node.timestamps(count: message.count)
        reply.header = header()
        reply.count = message.count
        reply.timestamp.physical = timestamp.physical
        reply.timestamp.logical = timestamp.logical
      } catch {
        reply.header = header(error)
      }
      try await response.write(reply)
    }
  }

  public func bootstrap(
    request: Schedulerpb_BootstrapRequest, context: ServerContext
  ) async throws -> Schedulerpb_BootstrapResponse {
    try respond(to: request.header) {
      (_: inout Schedulerpb_BootstrapResponse) throws(SchedulerError) in
      guard request.hasStore else { throw .invalid("bootstrap request without a store") }
      try node.cluster.bootstrap(store: request.store)
    }
  }

  public func isBootstrapped(
    request: Schedulerpb_IsBootstrappedRequest, context: ServerContext
  ) async throws -> Schedulerpb_IsBootstrappedResponse {
    try respond(to: request.header) {
      (response: inout Schedulerpb_IsBootstrappedResponse) throws(SchedulerError) in
      response.bootstrapped = node.cluster.isBootstrapped
    }
  }

  public func allocID(
    request: Schedulerpb_AllocIDRequest, context: ServerContext
  ) async throws -> Schedulerpb_AllocIDResponse {
    try respond(to: request.header) {
      (response: inout Schedulerpb_AllocIDResponse) throws(SchedulerError) in
      response.id = try node.allocateID()
    }
  }

  public func getStore(
    request: Schedulerpb_GetStoreRequest, context: ServerContext
  ) async throws -> Schedulerpb_GetStoreResponse {
    try respond(to: request.header) {
      (response: inout Schedulerpb_GetStoreResponse) throws(SchedulerError) in
      let store = try node.cluster.store(id: request.storeID)
      response.store = store.meta
      if let stats = store.stats { response.stats = stats }
      try store.checkNotTombstone()
    }
  }

  public func putStore(
    request: Schedulerpb_PutStoreRequest, context: ServerContext
  ) async throws -> Schedulerpb_PutStoreResponse {
    try respond(to: request.header) {
      (_: inout Schedulerpb_PutStoreResponse) throws(SchedulerError) in
      guard request.hasStore else { throw .invalid("put store request without a store") }
      try node.cluster.putStore(request.store)
    }
  }

  public func getAllStores(
    request: Schedulerpb_GetAllStoresRequest, context: ServerContext
  ) async throws -> Schedulerpb_GetAllStoresResponse {
    try respond(to: request.header) {
      (response: inout Schedulerpb_GetAllStoresResponse) throws(SchedulerError) in
      response.stores = try node.cluster.stores(excludingTombstones: request.excludeTombstoneStores)
        .map(\.meta)
    }
  }

  public func storeHeartbeat(
    request: Schedulerpb_StoreHeartbeatRequest, context: ServerContext
  ) async throws -> Schedulerpb_StoreHeartbeatResponse {
    try respond(to: request.header) {
      (_: inout Schedulerpb_StoreHeartbeatResponse) throws(SchedulerError) in
      guard request.hasStats else { throw .invalid("store heartbeat without stats") }
      try node.cluster.storeHeartbeat(request.stats)
    }
  }

  public func regionHeartbeat(
    request: RPCAsyncSequence<Schedulerpb_RegionHeartbeatRequest, any Error>,
    response: RPCWriter<Schedulerpb_RegionHeartbeatResponse>,
    context: ServerContext
  ) async throws {
    for try await message in request {
      try validate(message.header)
      let region = RegionInfo(
        meta: message.region, leader: message.hasLeader ? message.leader : nil,
        pendingPeers: message.pendingPeers, approximateSizeBytes: message.approximateSize)
      do {
        guard message.hasRegion else {
          throw SchedulerError.invalid("region heartbeat without a region")
        }
        guard let command = try node.cluster.regionHeartbeat(region) else { continue }
        try await response.write(makeResponse(command))
      } catch let error as SchedulerError {
        var reply = Schedulerpb_RegionHeartbeatResponse()
        reply.header = header(error)
        reply.regionID = region.id
        if let leader = region.leader { reply.targetPeer = leader }
        try await response.write(reply)
      }
    }
  }

  func makeResponse(_ command: HeartbeatCommand) -> Schedulerpb_RegionHeartbeatResponse {
    var reply = Schedulerpb_RegionHeartbeatResponse()
    reply.header = header()
    reply.regionID = command.regionID
    reply.regionEpoch = command.epoch
    reply.targetPeer = command.targetPeer
    switch command.action {
    case .addPeer(let peer):
      reply.changePeer.peer = peer
      reply.changePeer.changeType = .addNode
    case .removePeer(let peer):
      reply.changePeer.peer = peer
      reply.changePeer.changeType = .removeNode
    case .transferLeader(let peer):
      reply.transferLeader.peer = peer
    }
    return reply
  }

  public func getRegion(
    request: Schedulerpb_GetRegionRequest, context: ServerContext
  ) async throws -> Schedulerpb_GetRegionResponse {
    try respond(to: request.header) {
      (response: inout Schedulerpb_GetRegionResponse) throws(SchedulerError) in
      fill(&response, try node.cluster.region(containing: request.regionKey))
    }
  }

  public func getPrevRegion(
    request: Schedulerpb_GetRegionRequest, context: ServerContext
  ) async throws -> Schedulerpb_GetRegionResponse {
    try respond(to: request.header) {
      (response: inout Schedulerpb_GetRegionResponse) throws(SchedulerError) in
      fill(&response, try node.cluster.region(before: request.regionKey))
    }
  }

  public func getRegionByID(
    request: Schedulerpb_GetRegionByIDRequest, context: ServerContext
  ) async throws -> Schedulerpb_GetRegionResponse {
    try respond(to: request.header) {
      (response: inout Schedulerpb_GetRegionResponse) throws(SchedulerError) in
      fill(&response, try node.cluster.region(id: request.regionID))
    }
  }

  /// TinyKV answers an unknown key or id with an empty region (no error); so do we.
  private func fill(_ response: inout Schedulerpb_GetRegionResponse, _ region: RegionInfo?) {
    guard let region else { return }
    response.region = region.meta
    if let leader = region.leader {
      response.leader = leader
      response.slaves = region.followers
    }
  }

  public func scanRegions(
    request: Schedulerpb_ScanRegionsRequest, context: ServerContext
  ) async throws -> Schedulerpb_ScanRegionsResponse {
    try respond(to: request.header) {
      (response: inout Schedulerpb_ScanRegionsResponse) throws(SchedulerError) in
      let regions = try node.cluster.scanRegions(
        startKey: request.startKey, endKey: request.endKey, limit: Int(request.limit))
      response.regions = regions.map(\.meta)
      response.leaders = regions.map { $0.leader ?? Metapb_Peer() }
    }
  }

  public func askSplit(
    request: Schedulerpb_AskSplitRequest, context: ServerContext
  ) async throws -> Schedulerpb_AskSplitResponse {
    try respond(to: request.header) {
      (response: inout Schedulerpb_AskSplitResponse) throws(SchedulerError) in
      guard request.hasRegion else { throw .invalid("missing region for split") }
      let ids = try node.cluster.askSplit(request.region)
      response.newRegionID = ids.regionID
      response.newPeerIds = ids.peerIDs
    }
  }

  public func getClusterConfig(
    request: Schedulerpb_GetClusterConfigRequest, context: ServerContext
  ) async throws -> Schedulerpb_GetClusterConfigResponse {
    try respond(to: request.header) {
      (response: inout Schedulerpb_GetClusterConfigResponse) throws(SchedulerError) in
      response.cluster = try node.cluster.clusterConfig()
    }
  }

  public func putClusterConfig(
    request: Schedulerpb_PutClusterConfigRequest, context: ServerContext
  ) async throws -> Schedulerpb_PutClusterConfigResponse {
    try respond(to: request.header) {
      (_: inout Schedulerpb_PutClusterConfigResponse) throws(SchedulerError) in
      guard request.hasCluster else { throw .invalid("put cluster config without a config") }
      try node.cluster.putClusterConfig(request.cluster)
    }
  }

  public func scatterRegion(
    request: Schedulerpb_ScatterRegionRequest, context: ServerContext
  ) async throws -> Schedulerpb_ScatterRegionResponse {
    try respond(to: request.header) {
      (_: inout Schedulerpb_ScatterRegionResponse) throws(SchedulerError) in
      let id = request.regionID != 0 ? request.regionID : request.region.id
      try node.cluster.scatter(regionID: id)
    }
  }

  public func getGCSafePoint(
    request: Schedulerpb_GetGCSafePointRequest, context: ServerContext
  ) async throws -> Schedulerpb_GetGCSafePointResponse {
    try respond(to: request.header) {
      (response: inout Schedulerpb_GetGCSafePointResponse) throws(SchedulerError) in
      response.safePoint = try node.cluster.gcSafePoint()
    }
  }

  public func updateGCSafePoint(
    request: Schedulerpb_UpdateGCSafePointRequest, context: ServerContext
  ) async throws -> Schedulerpb_UpdateGCSafePointResponse {
    try respond(to: request.header) {
      (response: inout Schedulerpb_UpdateGCSafePointResponse) throws(SchedulerError) in
      response.newSafePoint = try node.cluster.updateGCSafePoint(request.safePoint)
    }
  }

  public func getOperator(
    request: Schedulerpb_GetOperatorRequest, context: ServerContext
  ) async throws -> Schedulerpb_GetOperatorResponse {
    try respond(to: request.header) {
      (response: inout Schedulerpb_GetOperatorResponse) throws(SchedulerError) in
      guard let op = try node.cluster.operator(regionID: request.regionID) else {
        throw SchedulerError(
          code: .regionNotFound, message: "no operator for region \(request.regionID)")
      }
      response.regionID = op.regionID
      response.desc = Data(op.description.utf8)
      response.kind = Data(op.kind.rawValue.utf8)
      response.status = op.status.wire
    }
  }
}

extension Operator.Status {
  var wire: Schedulerpb_OperatorStatus {
    switch self {
    case .running: .running
    case .success: .success
    case .timeout: .timeout
    case .cancelled: .cancel
    case .replaced: .replace
    }
  }
}
