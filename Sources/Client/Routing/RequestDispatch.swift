import GRPCCore
import Synchronization

/// Tells whether an attempt's request may have reached its store: set once gRPC opened the
/// attempt's stream, the step before the request is written.
///
/// A failure before that (no connection, the channel not ready, the deadline passed while
/// connecting) left nothing on the wire, so any request may be sent again; after it, the store
/// may have received the request and acted on it. grpc-swift reports both kinds with the same
/// `unavailable` or `deadlineExceeded` codes, so the router asks this mark instead.
package final class DispatchMark: Sendable {
  private let opened = Atomic(false)

  package init() {}

  /// Whether the attempt's stream was opened.
  package var streamOpened: Bool { opened.load(ordering: .acquiring) }

  /// Records that the attempt's request reached, or may have reached, the store.
  /// Records that the attempt's request reached, or may have reached, the store.
  package func markOpened() { opened.store(true, ordering: .releasing) }

  /// The mark of the attempt running in the current task, if any.
  @TaskLocal package static var current: DispatchMark?
}

/// Sets the current task's `DispatchMark` when gRPC runs interceptors, which it does once the
/// RPC's stream exists.
package struct DispatchMarkInterceptor: ClientInterceptor {
  package init() {}

  package func intercept<Input: Sendable, Output: Sendable>(
    request: StreamingClientRequest<Input>, context: ClientContext,
    next: (StreamingClientRequest<Input>, ClientContext) async throws -> StreamingClientResponse<
      Output
    >
  ) async throws -> StreamingClientResponse<Output> {
    DispatchMark.current?.markOpened()
    return try await next(request, context)
  }
}
