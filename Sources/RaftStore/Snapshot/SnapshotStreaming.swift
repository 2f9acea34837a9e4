import Foundation
import TinyKVProto

/// Moves the files of the snapshot a `MsgSnapshot` announces from the sending store's
/// `SnapshotFiles` to the receiving store's, in chunks, within one process (in-process
/// transports and test harnesses), through exactly the calls the gRPC transport makes (`openForSending`, `read` until nil; `startReceiving`, `write`,
/// `finish`, or `abort` if the stream breaks).
/// - Throws: whatever either side throws; the receiver's partial files are then gone.
public func streamSnapshot(
  _ message: RaftServerpb_RaftMessage, from sender: any SnapshotFiles,
  to receiver: any SnapshotFiles, chunkBytes: Int = 1024
) throws {
  guard let key = SnapshotKey(message: message) else { return }
  let source = try sender.openForSending(key)
  let sink = try receiver.startReceiving(message)
  do {
    while let chunk = try source.read(maxBytes: chunkBytes) { try sink.write(chunk) }
  } catch {
    sink.abort()
    throw error
  }
  try sink.finish()
}
