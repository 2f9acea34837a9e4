import GRPCCore
import Metrics

/// Counts and times every RPC a gRPC server handles, by method and status code, through
/// swift-metrics: `<prefix>_grpc_requests_total{method, code}` and
/// `<prefix>_grpc_request_duration_seconds{method}` (the time until the response is written).
public struct RPCMetricsInterceptor: ServerInterceptor {
  private let prefix: String

  /// An interceptor whose metric names start with `prefix` (e.g. `tinykv`).
  public init(prefix: String) { self.prefix = prefix }

  public func intercept<Input: Sendable, Output: Sendable>(
    request: StreamingServerRequest<Input>,
    context: ServerContext,
    next:
      @Sendable (StreamingServerRequest<Input>, ServerContext) async throws ->
      StreamingServerResponse<Output>
  ) async throws -> StreamingServerResponse<Output> {
    let method = context.descriptor.method
    let started = ContinuousClock.now
    let prefix = prefix
    @Sendable func finish(_ code: RPCError.Code?) {
      Counter(
        label: "\(prefix)_grpc_requests_total",
        dimensions: [("method", method), ("code", code.map { "\($0)" } ?? "ok")]
      ).increment()
      Timer(label: "\(prefix)_grpc_request_duration_seconds", dimensions: [("method", method)])
        .recordInterval(since: started)
    }
    var response: StreamingServerResponse<Output>
    do {
      response = try await next(request, context)
    } catch {
      finish((error as? RPCError)?.code ?? .unknown)
      throw error
    }
    switch response.accepted {
    case .success(var contents):
      let producer = contents.producer
      contents.producer = { writer in
        do {
          let trailers = try await producer(writer)
          finish(nil)
          return trailers
        } catch {
          finish((error as? RPCError)?.code ?? .unknown)
          throw error
        }
      }
      response.accepted = .success(contents)
    case .failure(let error):
      finish(error.code)
    }
    return response
  }
}

extension Timer {
  /// Records the time from `start` to now.
  fileprivate func recordInterval(since start: ContinuousClock.Instant) {
    let elapsed = ContinuousClock.now - start
    recordNanoseconds(
      elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
  }
}
