import Foundation
import GRPCCore
import Scheduler
import TiKVGRPC
import TiKVProto

/// PD's `pdpb.PD` service, the subset TiKV's clients call (client-rust, client-go,
/// tikv-python): a thin adapter over the same `SchedulerNode` as TinyKV's `SchedulerService`,
/// served beside it on the scheduler's port.
///
/// Differences from TinyKV's service, as PD behaves: a wrong cluster id and an unknown region
/// are errors in the response header (not a gRPC status, not an empty region), and a header
/// without error has no `error` field at all.
public struct PDService: TiKVPdpb_PD.SimpleServiceProtocol {
  let node: SchedulerNode
  let member: TiKVPdpb_Member
  let serviceSafePoints = ServiceSafePoints()

  /// - Parameters:
  ///   - node: the scheduler to serve.
  ///   - member: this scheduler as a member; its client URLs must be dialable addresses.
  public init(node: SchedulerNode, member: SchedulerMember) {
    self.node = node
    var wire = TiKVPdpb_Member()
    wire.name = member.name
    wire.memberID = member.id
    wire.clientUrls = member.clientURLs
    wire.peerUrls = member.clientURLs
    self.member = wire
  }

  public func getMembers(
    request: TiKVPdpb_GetMembersRequest, context: ServerContext
  ) async throws -> TiKVPdpb_GetMembersResponse {
    // No cluster id check: this is how a client learns the id.
    var response = TiKVPdpb_GetMembersResponse()
    response.header = header()
    response.members = [member]
    response.leader = member
    response.etcdLeader = member
    return response
  }

  public func getClusterInfo(
    request: TiKVPdpb_GetClusterInfoRequest, context: ServerContext
  ) async throws -> TiKVPdpb_GetClusterInfoResponse {
    // kvproto gives this request a response header, so there is no cluster id to check.
    var response = TiKVPdpb_GetClusterInfoResponse()
    response.header = header()
    response.serviceModes = [.pdSvcMode]
    return response
  }

  public func tso(
    request: RPCAsyncSequence<TiKVPdpb_TsoRequest, any Error>,
    response: RPCWriter<TiKVPdpb_TsoResponse>,
    context: ServerContext
  ) async throws {
    // One reply per request, in order: the stream is read and answered one message at a time.
    for try await message in request {
      let reply = await respond(to: message.header) {
        (reply: inout TiKVPdpb_TsoResponse) async throws(SchedulerError) in
        let timestamp = try await node.timestamps(count: message.count)
        reply.count = message.count
        reply.timestamp.physical = timestamp.physical
        reply.timestamp.logical = timestamp.logical
      }
      try await response.write(reply)
    }
  }

  public func getStore(
    request: TiKVPdpb_GetStoreRequest, context: ServerContext
  ) async throws -> TiKVPdpb_GetStoreResponse {
    await respond(to: request.header) {
      (response: inout TiKVPdpb_GetStoreResponse) throws(SchedulerError) in
      let store = try node.cluster.store(id: request.storeID)
      response.store = try store.meta.converted()
      try store.checkNotTombstone()
    }
  }

  public func getAllStores(
    request: TiKVPdpb_GetAllStoresRequest, context: ServerContext
  ) async throws -> TiKVPdpb_GetAllStoresResponse {
    await respond(to: request.header) {
      (response: inout TiKVPdpb_GetAllStoresResponse) throws(SchedulerError) in
      let stores = try node.cluster.stores(excludingTombstones: request.excludeTombstoneStores)
      response.stores = try stores.map(\.meta).converted()
    }
  }

  public func getRegion(
    request: TiKVPdpb_GetRegionRequest, context: ServerContext
  ) async throws -> TiKVPdpb_GetRegionResponse {
    await respond(to: request.header) {
      (response: inout TiKVPdpb_GetRegionResponse) throws(SchedulerError) in
      try fill(&response, node.cluster.region(containing: request.regionKey)) {
        "no region holds key \(request.regionKey.hexDescription)"
      }
    }
  }

  public func getPrevRegion(
    request: TiKVPdpb_GetRegionRequest, context: ServerContext
  ) async throws -> TiKVPdpb_GetRegionResponse {
    await respond(to: request.header) {
      (response: inout TiKVPdpb_GetRegionResponse) throws(SchedulerError) in
      try fill(&response, node.cluster.region(before: request.regionKey)) {
        "no region before key \(request.regionKey.hexDescription)"
      }
    }
  }

  public func getRegionByID(
    request: TiKVPdpb_GetRegionByIDRequest, context: ServerContext
  ) async throws -> TiKVPdpb_GetRegionResponse {
    await respond(to: request.header) {
      (response: inout TiKVPdpb_GetRegionResponse) throws(SchedulerError) in
      try fill(&response, node.cluster.region(id: request.regionID)) {
        "no region with id \(request.regionID)"
      }
    }
  }

  /// Puts `region` into `response`.
  /// - Throws: `regionNotFound` (with `describe()` as the message) if there is none.
  private func fill(
    _ response: inout TiKVPdpb_GetRegionResponse, _ region: RegionInfo?,
    orNotFound describe: () -> String
  ) throws(SchedulerError) {
    guard let region else { throw SchedulerError(code: .regionNotFound, message: describe()) }
    let wire = try TiKVPdpb_Region(region)
    response.region = wire.region
    if wire.hasLeader { response.leader = wire.leader }
    response.pendingPeers = wire.pendingPeers
  }

  public func scanRegions(
    request: TiKVPdpb_ScanRegionsRequest, context: ServerContext
  ) async throws -> TiKVPdpb_ScanRegionsResponse {
    await respond(to: request.header) {
      (response: inout TiKVPdpb_ScanRegionsResponse) throws(SchedulerError) in
      let regions = try node.cluster.scanRegions(
        startKey: request.startKey, endKey: request.endKey, limit: Int(request.limit))
      for region in regions {
        let wire = try TiKVPdpb_Region(region)
        response.regions.append(wire)
        response.regionMetas.append(wire.region)
        response.leaders.append(wire.leader)
      }
    }
  }

  public func getGCSafePoint(
    request: TiKVPdpb_GetGCSafePointRequest, context: ServerContext
  ) async throws -> TiKVPdpb_GetGCSafePointResponse {
    await respond(to: request.header) {
      (response: inout TiKVPdpb_GetGCSafePointResponse) throws(SchedulerError) in
      response.safePoint = try node.cluster.gcSafePoint()
    }
  }

  public func updateGCSafePoint(
    request: TiKVPdpb_UpdateGCSafePointRequest, context: ServerContext
  ) async throws -> TiKVPdpb_UpdateGCSafePointResponse {
    await respond(to: request.header) {
      (response: inout TiKVPdpb_UpdateGCSafePointResponse) throws(SchedulerError) in
      response.newSafePoint = try node.cluster.updateGCSafePoint(request.safePoint)
    }
  }

  public func updateServiceGCSafePoint(
    request: TiKVPdpb_UpdateServiceGCSafePointRequest, context: ServerContext
  ) async throws -> TiKVPdpb_UpdateServiceGCSafePointResponse {
    await respond(to: request.header) {
      (response: inout TiKVPdpb_UpdateServiceGCSafePointResponse) async throws(SchedulerError) in
      // PD's clock for service safe points is its TSO.
      let now = try await node.timestamps(count: 1)
      let minimum = serviceSafePoints.update(
        service: String(decoding: request.serviceID, as: UTF8.self),
        safePoint: request.safePoint, ttlSeconds: request.ttl, nowMillis: now.physical,
        floor: try node.cluster.gcSafePoint())
      response.serviceID = Data(minimum.service.utf8)
      response.ttl = minimum.ttlSeconds
      response.minSafePoint = minimum.safePoint
    }
  }
}

extension TiKVPdpb_Region {
  /// What the scheduler knows of `info`, in PD's terms: the region, its leader (if one has
  /// reported) and its pending peers. Down peers are not tracked, so none are reported.
  init(_ info: RegionInfo) throws(SchedulerError) {
    self.init()
    region = try info.meta.converted()
    if let leader = info.leader { self.leader = try leader.converted() }
    pendingPeers = try info.pendingPeers.converted()
  }
}

extension Data {
  /// The bytes in hex, for messages.
  fileprivate var hexDescription: String {
    isEmpty ? "\"\"" : map { String(format: "%02x", $0) }.joined()
  }
}
