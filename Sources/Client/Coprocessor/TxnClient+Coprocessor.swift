import Foundation
import TinyKVProto

extension TxnClient where Router: CoprocessorRouting {
  /// A push-down request (`type` 103 a DAG, `data` its `tipb.DAGRequest`) over `ranges` (user
  /// keys, ascending and apart) in the snapshot at `startTS`, sent region by region in key
  /// order. A lock in the way is resolved (as a read's) and the region asked again.
  /// - Returns: each region's answer `data` (a `tipb.SelectResponse` for a DAG), in key order,
  ///   for the caller to merge.
  /// - Throws: `TxnClientError` `.rejected` with the store's `other_error` for a request it
  ///   cannot run, `.tooManyRetries` when locks stay in the way; routing errors as for reads.
  public func coprocessor(
    type: Int64, data: Data, ranges: [(start: Data, end: Data)], startTS: UInt64
  ) async throws -> [Data] {
    var remaining = ranges.filter { $0.start.lexicographicallyPrecedes($0.end) }
    var answers: [Data] = []
    while !remaining.isEmpty {
      var request = Coprocessor_Request()
      request.tp = type
      request.data = data
      request.startTs = startTS
      request.ranges = remaining.map { range in
        var pb = Coprocessor_KeyRange()
        pb.start = range.start
        pb.end = range.end
        return pb
      }
      let (answer, next) = try await regionAnswer(request)
      answers.append(answer)
      guard let next else { break }
      // What the next regions hold: the ranges from `next` on.
      remaining = remaining.compactMap { range in
        guard next.lexicographicallyPrecedes(range.end) else { return nil }
        return (range.start.lexicographicallyPrecedes(next) ? next : range.start, range.end)
      }
    }
    return answers
  }

  /// One region's answer to `request`, locks in its way resolved; and where the next region
  /// starts.
  private func regionAnswer(
    _ request: Coprocessor_Request
  ) async throws -> (data: Data, next: Data?) {
    for attempt in 0..<options.maxLockRetries {
      let (response, next) = try await router.coprocessorRegion(request)
      try Self.checkRegion(response.hasRegionError, response.regionError)
      if !response.otherError.isEmpty {
        throw TxnClientError(.rejected, "coprocessor: \(response.otherError)")
      }
      guard response.hasLocked else { return (response.data, next) }
      try await resolve(response.locked, attempt: attempt)
    }
    throw TxnClientError(.tooManyRetries, "coprocessor: a key stayed locked")
  }
}
