import GRPCCore
import GRPCNIOTransportHTTP2
import Synchronization
import TinyKVGRPC
import TinyKVProto

/// Why a command sent on a ``BatchStream`` got no answer.
package enum BatchStreamError: Error, CustomStringConvertible {
  /// The command never left: the stream could not be opened, or it ended (or the command's
  /// deadline passed) before the command was written. Sending it again is safe.
  case notSent(String)
  /// The command was written and no answer came: the stream broke or the deadline passed. The
  /// store may have acted on it.
  case outcomeUnknown(String)

  package var description: String {
    switch self {
    case .notSent(let reason): "not sent: \(reason)"
    case .outcomeUnknown(let reason): "outcome unknown: \(reason)"
    }
  }
}

/// One `BatchCommands` stream to a store, shared by every request to it (TiKV client-go's
/// batch client): callers queue commands with ids and wait; a writer sends whatever is queued
/// when it wakes as one message, so batches grow with the load and add no wait; a reader
/// resumes each caller by id. Deadlines are swept per stream, not timed per call.
///
/// The stream opens on first use and again after it ends. When it ends, every command still
/// waiting fails: `outcomeUnknown` if it was written, `notSent` if it was still queued. A store
/// that does not serve `BatchCommands` (`UNIMPLEMENTED`) marks the stream unsupported, and the
/// caller falls back to unary calls.
package final class BatchStream: Sendable {
  private struct Waiter {
    let continuation: CheckedContinuation<BatchAnswer, any Error>
    let deadline: ContinuousClock.Instant
    var written = false
  }

  private struct State {
    var nextID: UInt64 = 0
    var queue: [(id: UInt64, command: BatchCommand)] = []
    var waiters: [UInt64: Waiter] = [:]
    /// Wakes the running stream's writer; nil while no stream runs.
    var wake: AsyncStream<Void>.Continuation?
    /// The task running the stream, cancelled by `close()`.
    var runner: Task<Void, Never>?
    var sweeping = false
    var closed = false
    var unsupported = false
  }

  /// What `send` must start after queueing a command.
  private struct Starts {
    var stream: AsyncStream<Void>?
    var sweeper = false
  }

  private let client: GRPCClient<HTTP2ClientTransport.Posix>
  private let state = Mutex(State())

  /// A stream on `client`'s connection (opened on first use).
  package init(client: GRPCClient<HTTP2ClientTransport.Posix>) {
    self.client = client
  }

  /// Whether the store answered `UNIMPLEMENTED` to the stream: send unary calls instead.
  package var isUnsupported: Bool { state.withLock { $0.unsupported } }

  /// Sends `command` and waits for its answer until `deadline`.
  /// - Throws: ``BatchStreamError``; `KVClientError.closed` after ``close()``; cancellation.
  package func send(
    _ command: BatchCommand, deadline: ContinuousClock.Instant
  ) async throws -> BatchAnswer {
    let id = state.withLock { state in
      state.nextID &+= 1
      return state.nextID
    }
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        let starts = state.withLock { state -> Starts? in
          guard !state.closed else { return nil }
          state.waiters[id] = Waiter(continuation: continuation, deadline: deadline)
          state.queue.append((id, command))
          var starts = Starts()
          if let wake = state.wake {
            wake.yield()
          } else {
            let (wakes, wake) = AsyncStream.makeStream(
              of: Void.self, bufferingPolicy: .bufferingNewest(1))
            state.wake = wake
            wake.yield()
            starts.stream = wakes
          }
          if !state.sweeping {
            state.sweeping = true
            starts.sweeper = true
          }
          return starts
        }
        guard let starts else { return continuation.resume(throwing: KVClientError.closed) }
        if let wakes = starts.stream {
          let runner = Task { await self.run(wakes) }
          state.withLock { $0.runner = runner }
        }
        if starts.sweeper { Task { await self.sweep() } }
      }
    } onCancel: {
      self.fail([id], with: CancellationError(), written: CancellationError())
    }
  }

  /// Ends the stream at once (a command still waiting fails as of unknown outcome; the store
  /// may still be working on it, and waiting for that could wait for ever: a hung store); later
  /// sends throw `KVClientError.closed`.
  package func close() {
    let (wake, runner) = state.withLock { state in
      state.closed = true
      return (state.wake, state.runner)
    }
    wake?.finish()
    runner?.cancel()
  }

  /// Runs one stream until it ends, then fails what it leaves waiting.
  private func run(_ wakes: AsyncStream<Void>) async {
    var options = CallOptions.defaults
    options.waitForReady = false
    var reason = "the store ended the stream"
    var unsupported = false
    do {
      try await Tinykvpb_TinyKv.Client(wrapping: client).batchCommands(
        request: StreamingClientRequest { writer in
          for await _ in wakes {
            let batch = self.takeQueued()
            if !batch.requestIds.isEmpty { try await writer.write(batch) }
          }
        }, options: options
      ) { response in
        for try await message in response.messages { self.deliver(message) }
      }
    } catch let error as RPCError {
      reason = "\(error.code): \(error.message)"
      unsupported = error.code == .unimplemented
    } catch {
      reason = "\(error)"
    }
    let (written, queued) = state.withLock { state in
      state.wake = nil
      if unsupported { state.unsupported = true }
      let waiting = state.waiters
      state.waiters = [:]
      state.queue = []
      return (
        waiting.values.filter(\.written).map(\.continuation),
        waiting.values.filter { !$0.written }.map(\.continuation)
      )
    }
    // A store without the RPC acted on nothing it was sent.
    let writtenError =
      unsupported ? BatchStreamError.notSent(reason) : BatchStreamError.outcomeUnknown(reason)
    for continuation in written { continuation.resume(throwing: writtenError) }
    for continuation in queued { continuation.resume(throwing: BatchStreamError.notSent(reason)) }
  }

  /// Takes every queued command, marked as written, as one request message.
  private func takeQueued() -> Tinykvpb_BatchCommandsRequest {
    state.withLock { state in
      var batch = Tinykvpb_BatchCommandsRequest()
      batch.requestIds.reserveCapacity(state.queue.count)
      batch.requests.reserveCapacity(state.queue.count)
      for (id, command) in state.queue where state.waiters[id] != nil {
        state.waiters[id]?.written = true
        batch.requestIds.append(id)
        batch.requests.append(command)
      }
      state.queue.removeAll(keepingCapacity: true)
      return batch
    }
  }

  /// Resumes the callers of the answers in `message`.
  private func deliver(_ message: Tinykvpb_BatchCommandsResponse) {
    let answered = state.withLock { state in
      zip(message.requestIds, message.responses).compactMap { id, answer in
        state.waiters.removeValue(forKey: id).map { ($0.continuation, answer) }
      }
    }
    for (continuation, answer) in answered { continuation.resume(returning: answer) }
  }

  /// Fails the waiting commands `ids` (those still there): with `written` if they were
  /// written, else with `queued`.
  private func fail(_ ids: [UInt64], with queued: any Error, written: any Error) {
    let failed = state.withLock { state in
      ids.compactMap { id -> (CheckedContinuation<BatchAnswer, any Error>, Bool)? in
        guard let waiter = state.waiters.removeValue(forKey: id) else { return nil }
        if !waiter.written { state.queue.removeAll { $0.id == id } }
        return (waiter.continuation, waiter.written)
      }
    }
    for (continuation, wasWritten) in failed {
      continuation.resume(throwing: wasWritten ? written : queued)
    }
  }

  /// While commands wait, fails each whose deadline passed; ends when none waits.
  private func sweep() async {
    let clock = ContinuousClock()
    while true {
      let earliest = state.withLock { state -> ContinuousClock.Instant? in
        guard let earliest = state.waiters.values.lazy.map(\.deadline).min() else {
          state.sweeping = false
          return nil
        }
        return earliest
      }
      guard let earliest else { return }
      // A command queued later may have an earlier deadline: look again at least every 50 ms.
      let wake = min(earliest, clock.now + .milliseconds(50))
      try? await Task.sleep(until: wake, tolerance: .milliseconds(2), clock: clock)
      let now = clock.now
      let expired = state.withLock { state in
        state.waiters.filter { $0.value.deadline <= now }.map(\.key)
      }
      if !expired.isEmpty {
        fail(
          expired, with: BatchStreamError.notSent("the deadline passed before it was written"),
          written: BatchStreamError.outcomeUnknown("no answer before the deadline"))
      }
    }
  }
}
