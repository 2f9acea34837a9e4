import GRPCCore
import Synchronization
import TinyKVProto

/// The answers of one `BatchCommands` stream on their way out: commands post their answers as
/// they finish, and one writer sends whatever has gathered as one `BatchCommandsResponse`, so
/// batches form by themselves under load and a lone answer leaves at once.
final class BatchAnswers: Sendable {
  private struct State {
    var ids: [UInt64] = []
    var responses: [Tinykvpb_BatchCommandsResponse.Response] = []
    /// Commands started and not answered yet.
    var running = 0
    /// The client closed its side: no more commands will start.
    var inputEnded = false
    var finished: Bool { inputEnded && running == 0 }
  }

  private let state = Mutex(State())
  private let wakes: AsyncStream<Void>
  private let wake: AsyncStream<Void>.Continuation

  init() {
    (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
  }

  /// Counts a command that will post an answer.
  func started(_ count: Int) { state.withLock { $0.running += count } }

  /// Queues the answer of request `id` for the writer.
  func post(_ id: UInt64, _ response: Tinykvpb_BatchCommandsResponse.Response) {
    state.withLock { state in
      state.ids.append(id)
      state.responses.append(response)
      state.running -= 1
    }
    wake.yield()
  }

  /// No more commands will start; the writer ends once the running ones have answered.
  func endInput() {
    state.withLock { $0.inputEnded = true }
    wake.yield()
  }

  /// Sends the answers as they come, one message per wake-up, until the input ended and every
  /// command has answered.
  func write(to writer: RPCWriter<Tinykvpb_BatchCommandsResponse>) async throws {
    for await _ in wakes {
      let (message, finished) = state.withLock { state in
        var message = Tinykvpb_BatchCommandsResponse()
        swap(&message.requestIds, &state.ids)
        swap(&message.responses, &state.responses)
        return (message, state.finished)
      }
      if !message.requestIds.isEmpty { try await writer.write(message) }
      if finished { return }
    }
  }
}
