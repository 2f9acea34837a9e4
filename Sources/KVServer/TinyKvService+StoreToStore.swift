import Foundation
import GRPCCore
import RaftStore
import TinyKVGRPC
import TinyKVProto

/// The RPCs other stores' transports call: a stream of Raft messages (one per stream message,
/// TinyKV's `Raft`, or many, `BatchRaft`), and a snapshot (its `MsgSnapshot` first, then its
/// data in chunks). Without a receiver (a standalone store) they answer `UNIMPLEMENTED`.
extension TinyKvService {
  public func raft(
    request: RPCAsyncSequence<RaftServerpb_RaftMessage, any Error>, context: ServerContext
  ) async throws -> RaftServerpb_Done {
    guard let receiver else { throw Unavailable.replication("Raft") }
    for try await message in request { receiver.deliver(message) }
    return RaftServerpb_Done()
  }

  /// Each stream message's Raft messages are handed over together (one router lock, one wake).
  public func batchRaft(
    request: RPCAsyncSequence<Tinykvpb_BatchRaftMessage, any Error>, context: ServerContext
  ) async throws -> RaftServerpb_Done {
    guard let receiver else { throw Unavailable.replication("BatchRaft") }
    for try await batch in request { receiver.deliver(contentsOf: batch.msgs) }
    return RaftServerpb_Done()
  }

  /// Writes the chunks into a sink from the receiver's snapshot files and delivers the
  /// `MsgSnapshot` once the sink has checked and kept them. A stream that fails or ends before
  /// the data is complete leaves nothing behind. Statuses: no `MsgSnapshot` first
  /// `INVALID_ARGUMENT`; the files cannot take it `INTERNAL`; the data incomplete or corrupt
  /// `DATA_LOSS`; a broken stream its own error.
  public func snapshot(
    request: RPCAsyncSequence<RaftServerpb_SnapshotChunk, any Error>, context: ServerContext
  ) async throws -> RaftServerpb_Done {
    guard let receiver else { throw Unavailable.replication("Snapshot") }
    var chunks = request.makeAsyncIterator()
    guard let head = try await chunks.next(), head.hasMessage,
      let key = SnapshotKey(message: head.message)
    else {
      throw RPCError(
        code: .invalidArgument, message: "Snapshot: the first chunk must carry a MsgSnapshot")
    }
    let sink: any SnapshotSink
    do {
      sink = try receiver.snapshotFiles.startReceiving(head.message)
    } catch {
      throw RPCError(code: .internalError, message: "Snapshot \(key): cannot receive: \(error)")
    }
    do {
      while let chunk = try await chunks.next() { try Self.write(chunk.data, to: sink, key) }
    } catch {
      sink.abort()
      throw error
    }
    do {
      try sink.finish()
    } catch {
      throw RPCError(code: .dataLoss, message: "Snapshot \(key): \(error)")
    }
    receiver.deliver(head.message)
    return RaftServerpb_Done()
  }

  private static func write(_ data: Data, to sink: any SnapshotSink, _ key: SnapshotKey) throws {
    do {
      try sink.write(data)
    } catch {
      throw RPCError(code: .internalError, message: "Snapshot \(key): write failed: \(error)")
    }
  }
}
