import Client
import GRPCCore
import Logging
import RaftStore
import Synchronization
import TinyKVGRPC
import TinyKVProto

/// The Raft stream to one store: a bounded queue of messages and the loop that drains it into
/// one long-lived client-streaming `Raft` call, reconnecting with backoff when it fails.
///
/// States: connecting → connected → backing off → connecting …; any → closed. Messages are
/// queued while connecting or connected and refused (reported unreachable by the caller) while
/// backing off, so a store that is down costs nothing but the reports.
final class StoreLink: Sendable {
  private enum State {
    case connecting
    case connected
    case backingOff
  }

  /// The store the messages go to.
  let storeID: UInt64
  private let queue: MessageQueue<RaftServerpb_RaftMessage>
  private let state = Mutex(State.connecting)
  /// Whether the store serves `BatchRaft` (until it answers `UNIMPLEMENTED`: then `Raft`).
  private let peerTakesBatches = Mutex(true)
  private let counters: TransportCounters
  private let logger: Logger

  init(storeID: UInt64, capacity: Int, counters: TransportCounters, logger: Logger) {
    self.storeID = storeID
    queue = MessageQueue(capacity: capacity)
    self.counters = counters
    var logger = logger
    logger[metadataKey: "to-store"] = "\(storeID)"
    self.logger = logger
  }

  /// Queues `message`; false if it must be dropped (queue full, backing off, or closed).
  func offer(_ message: RaftServerpb_RaftMessage) -> Bool {
    if state.withLock({ $0 }) == .backingOff { return false }
    return queue.offer(message)
  }

  /// Stops taking messages and ends the stream (what is still queued is dropped).
  func close() {
    _ = queue.close()
  }

  /// Drains the queue into `Raft` streams until the link is closed or the task cancelled.
  /// - Parameters:
  ///   - drop: takes the messages lost to a failed stream (to count and report them).
  func run(
    resolver: any StoreResolver, backoff: Backoff,
    drop: @escaping @Sendable ([RaftServerpb_RaftMessage]) -> Void
  ) async {
    var schedule = ReconnectSchedule(backoff)
    // Whether "down" was logged since the stream last worked: once at info, then at debug.
    var saidDown = false
    while !Task.isCancelled {
      let failure: any Error
      do {
        let address = try await resolver.address(of: storeID)
        try await stream(to: address, drop: drop)
        if queue.isClosed { return }
        failure = RPCError(code: .unavailable, message: "the store ended the stream")
      } catch {
        if queue.isClosed || Task.isCancelled { return }
        failure = error
      }
      let wasConnected = state.withLock { state in
        defer { state = .backingOff }
        return state == .connected
      }
      if wasConnected {
        logger.info("lost the raft stream", metadata: ["error": "\(failure)"])
        schedule.reset()
      } else if !saidDown {
        logger.info("cannot reach the store", metadata: ["error": "\(failure)"])
      } else {
        logger.debug("still cannot reach the store", metadata: ["error": "\(failure)"])
      }
      saidDown = true
      resolver.connectionFailed(to: storeID)
      drop(queue.drain())
      do {
        try await Task.sleep(for: schedule.nextDelay())
      } catch {
        return
      }
      state.withLock { $0 = .connecting }
    }
  }

  /// One `BatchRaft` call (or `Raft`, to a store that does not serve `BatchRaft`): writes every
  /// batch the queue hands out, as one stream message, until the queue is closed.
  private func stream(
    to address: HostAndPort, drop: @escaping @Sendable ([RaftServerpb_RaftMessage]) -> Void
  ) async throws {
    try await withGRPCClient(transport: address.plaintextTransport()) { client in
      let raft = Tinykvpb_TinyKv.Client(wrapping: client)
      guard peerTakesBatches.withLock({ $0 }) else {
        _ = try await raft.raft(requestProducer: { [self] writer in
          try await pump(to: address, drop: drop) { try await writer.write(contentsOf: $0) }
        })
        return
      }
      do {
        _ = try await raft.batchRaft(requestProducer: { [self] writer in
          try await pump(to: address, drop: drop) { batch in
            try await writer.write(Tinykvpb_BatchRaftMessage.with { $0.msgs = batch })
          }
        })
      } catch let error as RPCError where error.code == .unimplemented {
        logger.info("the store does not serve BatchRaft; sending one message at a time")
        peerTakesBatches.withLock { $0 = false }
        throw error
      }
    }
  }

  /// Hands out the queue's batches to `write` until the queue is closed; a batch that fails
  /// goes to `drop`.
  private func pump(
    to address: HostAndPort, drop: @Sendable ([RaftServerpb_RaftMessage]) -> Void,
    _ write: ([RaftServerpb_RaftMessage]) async throws -> Void
  ) async throws {
    state.withLock { $0 = .connected }
    logger.info("raft stream open", metadata: ["address": "\(address)"])
    while let batch = await queue.nextBatch() {
      // Only a cancelled wait hands out an empty batch.
      if batch.isEmpty { throw CancellationError() }
      do {
        try await write(batch)
        counters.wrote(batch.count)
      } catch {
        drop(batch)
        throw error
      }
    }
  }
}
