import Client
import GRPCCore
import Logging
import RaftStore
import TinyKVGRPC
import TinyKVProto

/// Streams `MsgSnapshot` messages with their snapshot files, each on its own `Snapshot` call
/// and off the Raft streams: the message first, then the files' bytes in chunks. At most
/// `concurrentSnapshots` run at once; the rest wait in a bounded queue.
final class SnapshotSender: Sendable {
  private let queue: MessageQueue<RaftServerpb_RaftMessage>
  private let files: any SnapshotFiles
  private let resolver: any StoreResolver
  private let config: GRPCTransportConfig
  private let report: @Sendable (DeliveryReport) -> Void
  private let logger: Logger

  init(
    files: any SnapshotFiles, resolver: any StoreResolver, config: GRPCTransportConfig,
    report: @escaping @Sendable (DeliveryReport) -> Void, logger: Logger
  ) {
    queue = MessageQueue(capacity: config.snapshotQueueCapacity)
    self.files = files
    self.resolver = resolver
    self.config = config
    self.report = report
    self.logger = logger
  }

  /// Queues a `MsgSnapshot`; reports it failed at once if too many are waiting.
  func offer(_ message: RaftServerpb_RaftMessage) {
    if !queue.offer(message) {
      logger.warning(
        "too many snapshots waiting; dropping one",
        metadata: ["region": "\(message.regionID)", "to-peer": "\(message.toPeer.id)"])
      report(Self.outcome(of: message, succeeded: false))
    }
  }

  /// Stops taking snapshots; those still waiting are reported failed.
  func close() {
    for message in queue.close() { report(Self.outcome(of: message, succeeded: false)) }
  }

  /// Sends queued snapshots, `concurrentSnapshots` at a time, until closed or cancelled.
  func run() async {
    await withTaskGroup(of: Void.self) { group in
      let limit = max(1, config.concurrentSnapshots)
      var running = 0
      // A batch taken is sent in full: under cancellation each send fails fast and is reported.
      while !Task.isCancelled, let batch = await queue.nextBatch() {
        for message in batch {
          if running == limit {
            await group.next()
            running -= 1
          }
          group.addTask {
            let succeeded = await self.send(message)
            self.report(Self.outcome(of: message, succeeded: succeeded))
          }
          running += 1
        }
      }
    }
  }

  /// One `Snapshot` call for `message`; true once the receiver answered `Done`.
  private func send(_ message: RaftServerpb_RaftMessage) async -> Bool {
    let storeID = message.toPeer.storeID
    do {
      guard let key = SnapshotKey(message: message) else {
        throw RPCError(code: .invalidArgument, message: "not a MsgSnapshot")
      }
      let address = try await resolver.address(of: storeID)
      let chunkBytes = max(1, config.snapshotChunkBytes)
      var options = CallOptions.defaults
      options.timeout = config.snapshotTimeout
      try await withGRPCClient(transport: address.plaintextTransport()) { client in
        let stub = Tinykvpb_TinyKv.Client(wrapping: client)
        _ = try await stub.snapshot(
          options: options,
          requestProducer: { [files] writer in
            let source = try files.openForSending(key)
            var head = RaftServerpb_SnapshotChunk()
            head.message = message
            try await writer.write(head)
            while let data = try source.read(maxBytes: chunkBytes) {
              var chunk = RaftServerpb_SnapshotChunk()
              chunk.data = data
              try await writer.write(chunk)
            }
          })
      }
      logger.info("sent snapshot", metadata: ["snapshot": "\(key)", "to-store": "\(storeID)"])
      return true
    } catch {
      logger.warning(
        "snapshot send failed",
        metadata: [
          "region": "\(message.regionID)", "to-store": "\(storeID)", "error": "\(error)",
        ])
      return false
    }
  }

  private static func outcome(
    of message: RaftServerpb_RaftMessage, succeeded: Bool
  ) -> DeliveryReport {
    .snapshot(regionID: message.regionID, toPeerID: message.toPeer.id, succeeded: succeeded)
  }
}
