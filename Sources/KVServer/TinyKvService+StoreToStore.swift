import GRPCCore
import RaftStore
import TinyKVGRPC
import TinyKVProto

/// The two RPCs other stores' transports call: a stream of Raft messages, and a snapshot (its
/// `MsgSnapshot` first, then its data in chunks). Without a receiver (a standalone store) both
/// answer `UNIMPLEMENTED`.
extension TinyKvService {
  public func raft(
    request: RPCAsyncSequence<RaftServerpb_RaftMessage, any Error>, context: ServerContext
  ) async throws -> RaftServerpb_Done {
    guard let receiver else { throw Unavailable.replication("Raft") }
    for try await message in request { receiver.deliver(message) }
    return RaftServerpb_Done()
  }

  /// Writes the chunks into a sink from the receiver's snapshot files and delivers the
  /// `MsgSnapshot` once the sink has checked and kept them. A stream that fails or ends before
  /// the data is complete leaves nothing behind.
  public func snapshot(
    request: RPCAsyncSequence<RaftServerpb_SnapshotChunk, any Error>, context: ServerContext
  ) async throws -> RaftServerpb_Done {
    guard let receiver else { throw Unavailable.replication("Snapshot") }
    var chunks = request.makeAsyncIterator()
    guard let head = try await chunks.next() else {
      throw RPCError(code: .invalidArgument, message: "Snapshot: the stream is empty")
    }
    guard head.hasMessage, head.message.message.msgType == .msgSnapshot else {
      throw RPCError(
        code: .invalidArgument, message: "Snapshot: the first chunk must carry a MsgSnapshot")
    }
    let sink = try receiver.snapshotFiles.startReceiving(head.message)
    do {
      while let chunk = try await chunks.next() { try sink.write(chunk.data) }
    } catch {
      sink.abort()
      throw error
    }
    try sink.finish()
    receiver.deliver(head.message)
    return RaftServerpb_Done()
  }
}
