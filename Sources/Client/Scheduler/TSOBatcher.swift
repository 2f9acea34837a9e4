import GRPCCore
import Synchronization
import TinyKVGRPC
import TinyKVProto

/// Coalesces concurrent timestamp requests into batched requests on one long-lived `Tso`
/// stream, as PD's client does: while one request is on the wire, new callers queue; the next
/// request asks for all of them at once, and the reply's largest timestamp is counted down to
/// give each caller its own.
///
/// If the stream fails, every waiting caller gets the error and the stream is reopened (with
/// backoff) for later callers.
final class TSOBatcher: Sendable {
  /// A caller waiting for `count` consecutive timestamps; it gets the largest.
  struct Waiter {
    var count: UInt32
    var continuation: CheckedContinuation<UInt64, any Error>

    func resume(returning value: UInt64) { continuation.resume(returning: value) }
    func resume(throwing error: any Error) { continuation.resume(throwing: error) }
  }

  private struct State {
    var pending: [Waiter] = []
    var inFlight: [Waiter] = []
    var stopped = false
  }

  private let state = Mutex(State())
  private let wakeups: AsyncStream<Void>
  private let wake: AsyncStream<Void>.Continuation

  init() {
    (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
  }

  /// `count` consecutive timestamps (in one millisecond); returns the largest, packed as
  /// `physical << 18 | logical`; the others are the `count - 1` values just below it.
  func next(count: UInt32 = 1) async throws -> UInt64 {
    try await withCheckedThrowingContinuation {
      (continuation: CheckedContinuation<UInt64, any Error>) in
      let waiter = Waiter(count: count, continuation: continuation)
      let accepted = state.withLock { state -> Bool in
        guard !state.stopped else { return false }
        state.pending.append(waiter)
        return true
      }
      if accepted {
        wake.yield()
      } else {
        waiter.resume(throwing: SchedulerClientError.unavailable("the client is closed"))
      }
    }
  }

  /// Keeps a stream open and serves batches until cancelled.
  func run(
    stub: Schedulerpb_Scheduler.Client<some ClientTransport>, clusterID: UInt64,
    backoff: Backoff
  ) async {
    var delay = backoff.initial
    while !Task.isCancelled {
      do {
        try await serveOneStream(stub: stub, clusterID: clusterID)
        delay = backoff.initial
      } catch {
        failAll(error)
        if Task.isCancelled { break }
        try? await Task.sleep(for: delay)
        delay = min(delay * 2, backoff.maximum)
      }
    }
    state.withLock { $0.stopped = true }
    failAll(SchedulerClientError.unavailable("the client is closed"))
  }

  private func serveOneStream(
    stub: Schedulerpb_Scheduler.Client<some ClientTransport>, clusterID: UInt64
  ) async throws {
    let (replies, replied) = AsyncStream.makeStream(
      of: Void.self, bufferingPolicy: .bufferingNewest(1))
    let wakeups = self.wakeups
    try await stub.tso(
      requestProducer: { writer in
        var header = Schedulerpb_RequestHeader()
        header.clusterID = clusterID
        var wakeIterator = wakeups.makeAsyncIterator()
        var replyIterator = replies.makeAsyncIterator()
        while !Task.isCancelled {
          let count = self.state.withLock { state -> Int in
            guard state.inFlight.isEmpty else { return 0 }
            // Take as many waiters as fit in one request (a millisecond's logical values).
            var total = 0
            var taken = 0
            for waiter in state.pending {
              guard total + Int(waiter.count) < 1 << 17 else { break }
              total += Int(waiter.count)
              taken += 1
            }
            state.inFlight = Array(state.pending.prefix(taken))
            state.pending.removeFirst(taken)
            return total
          }
          if count == 0 {
            guard await wakeIterator.next() != nil else { return }
            continue
          }
          var request = Schedulerpb_TsoRequest()
          request.header = header
          request.count = UInt32(count)
          try await writer.write(request)
          guard await replyIterator.next() != nil else { return }
        }
      },
      onResponse: { response in
        defer { replied.finish() }
        for try await reply in response.messages {
          let waiters = self.state.withLock { state -> [Waiter] in
            defer { state.inFlight = [] }
            return state.inFlight
          }
          if reply.header.hasError, reply.header.error.type != .ok {
            for waiter in waiters {
              waiter.resume(throwing: SchedulerClientError.scheduler(reply.header.error))
            }
          } else if reply.header.clusterID != clusterID {
            let error = SchedulerClientError.clusterMismatch(
              expected: clusterID, got: reply.header.clusterID)
            for waiter in waiters { waiter.resume(throwing: error) }
          } else {
            // The reply carries the largest timestamp of the batch; count down from it, in
            // the order the callers came.
            let largest = UInt64(reply.timestamp.physical) << 18 | UInt64(reply.timestamp.logical)
            var next = largest - UInt64(reply.count) + 1
            for waiter in waiters {
              next += UInt64(waiter.count)
              waiter.resume(returning: next - 1)
            }
          }
          replied.yield()
        }
      })
  }

  private func failAll(_ error: any Error) {
    let waiters = state.withLock { state -> [Waiter] in
      defer {
        state.pending = []
        state.inFlight = []
      }
      return state.inFlight + state.pending
    }
    for waiter in waiters { waiter.resume(throwing: error) }
  }
}

/// Exponential backoff bounds for reconnecting and retrying.
public struct Backoff: Sendable {
  /// The first delay.
  public var initial: Duration
  /// The delay doubles up to this.
  public var maximum: Duration

  /// Backoff from `initial`, doubling up to `maximum`.
  public init(initial: Duration = .milliseconds(50), maximum: Duration = .seconds(1)) {
    self.initial = initial
    self.maximum = maximum
  }
}
