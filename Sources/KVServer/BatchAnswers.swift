import GRPCCore
import Synchronization

/// Serves one batched-commands stream (`BatchCommands` of `tinykvpb.TinyKv` and of
/// `tikvpb.Tikv`): each command the client sends runs at once, concurrently with the others,
/// and its answer goes back with its id in the next message the writer sends, so answers
/// gather into batches under load and a lone answer leaves at once. Returns when the client
/// has closed its side and every command has answered.
///
/// - Parameters:
///   - requests: the client's messages.
///   - response: where the answers go.
///   - commands: a message's ids and commands (as many ids as commands, or the stream ends
///     with `INVALID_ARGUMENT`).
///   - start: starts a command that answers through a callback (`post`, called once from any
///     thread) instead of a task of its own, or returns false for a command it does not take.
///     A raw write on a raft store answers from the apply loop: no task, no hand-off back.
///   - answer: runs one command in a task; a failure is part of the answer, not thrown.
package func serveBatchCommands<Batch: Sendable, Command: Sendable, Reply: BatchReply>(
  _ requests: RPCAsyncSequence<Batch, any Error>, to response: RPCWriter<Reply>,
  commands: (Batch) -> (ids: [UInt64], commands: [Command]),
  start: (Command, _ post: @escaping @Sendable (Reply.Answer) -> Void) -> Bool = { _, _ in false },
  answer: @escaping @Sendable (Command) async -> Reply.Answer
) async throws {
  let answers = BatchAnswers<Reply.Answer>()
  try await withThrowingDiscardingTaskGroup { group in
    group.addTask {
      try await answers.write { ids, batch in
        var reply = Reply()
        reply.requestIds = ids
        reply.responses = batch
        try await response.write(reply)
      }
    }
    defer { answers.endInput() }
    for try await batch in requests {
      let (ids, commands) = commands(batch)
      guard ids.count == commands.count else {
        throw RPCError(
          code: .invalidArgument,
          message: "BatchCommands: \(commands.count) requests with \(ids.count) ids")
      }
      answers.started(commands.count)
      for (id, command) in zip(ids, commands) {
        let started = start(command) { answers.post(id, $0) }
        if !started { group.addTask { answers.post(id, await answer(command)) } }
      }
    }
  }
}

/// A batched-commands answer message: answers with the ids of their requests.
package protocol BatchReply: Sendable {
  /// One command's answer.
  associatedtype Answer: Sendable
  init()
  var requestIds: [UInt64] { get set }
  var responses: [Answer] { get set }
}

/// The gRPC status of a command that failed as a whole, for a batched answer's
/// `status_code` and `status_message`.
package func batchStatus(of error: any Error) -> (code: Int32, message: String) {
  let status = (error as? RPCError) ?? RPCError(code: .internalError, message: "\(error)")
  return (Int32(status.code.rawValue), status.message)
}

/// The answers of one batched-commands stream on their way out: commands post their answers
/// as they finish, and one writer sends whatever has gathered as one message.
final class BatchAnswers<Answer: Sendable>: Sendable {
  private struct State {
    var ids: [UInt64] = []
    var answers: [Answer] = []
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

  /// Counts commands that will post an answer.
  func started(_ count: Int) { state.withLock { $0.running += count } }

  /// Queues the answer of request `id` for the writer.
  func post(_ id: UInt64, _ answer: Answer) {
    state.withLock { state in
      state.ids.append(id)
      state.answers.append(answer)
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
  func write(_ send: ([UInt64], [Answer]) async throws -> Void) async throws {
    for await _ in wakes {
      let (ids, answers, finished) = state.withLock { state in
        var (ids, answers) = ([UInt64](), [Answer]())
        swap(&ids, &state.ids)
        swap(&answers, &state.answers)
        return (ids, answers, state.finished)
      }
      if !ids.isEmpty { try await send(ids, answers) }
      if finished { return }
    }
  }
}
