import Foundation
import TinyKVProto

/// A router that carries push-down requests (`Coprocessor`, docs/COPROCESSOR.md): each request
/// goes to one region, whose store answers that region's part of the request's ranges.
public protocol CoprocessorRouting: TxnRouting {
  /// `request` sent to the region holding the start of its first range.
  /// - Returns: that region's answer, and the key the next region starts at (nil after the
  ///   last region).
  func coprocessorRegion(
    _ request: Coprocessor_Request
  ) async throws -> (response: Coprocessor_Response, next: Data?)
}

extension ClusterTxnRouter: CoprocessorRouting {
  public func coprocessorRegion(
    _ request: Coprocessor_Request
  ) async throws -> (response: Coprocessor_Response, next: Data?) {
    let start = request.ranges.first?.start ?? Data()
    let (response, region) = try await sender.send("coprocessor", key: start.memcomparable, request)
    return (response, region.endKey.isEmpty ? nil : region.endKey.userKeyAtBoundary)
  }
}

extension GRPCTxnRPC: CoprocessorRouting {
  public func coprocessorRegion(
    _ request: Coprocessor_Request
  ) async throws -> (response: Coprocessor_Response, next: Data?) {
    (try await stub.coprocessor(request), nil)
  }
}

extension Coprocessor_Request: RegionScopedRequest {}
extension Coprocessor_Response: RegionScopedResponse {}
