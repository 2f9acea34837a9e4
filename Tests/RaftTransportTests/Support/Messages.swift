import Foundation
import TinyKVProto

/// Raft messages for transport tests: from peer 1 on store 1 to `store`'s peer (id `store`).
enum Messages {
  /// A `MsgAppend` of `region` whose `index` tells the messages apart.
  static func append(region: UInt64 = 1, to store: UInt64, index: UInt64)
    -> RaftServerpb_RaftMessage
  {
    var message = header(region: region, to: store)
    message.message.msgType = .msgAppend
    message.message.index = index
    return message
  }

  /// A `MsgSnapshot` of `region` at `term`/`index`.
  static func snapshot(region: UInt64 = 1, to store: UInt64, term: UInt64, index: UInt64)
    -> RaftServerpb_RaftMessage
  {
    var message = header(region: region, to: store)
    message.message.msgType = .msgSnapshot
    message.message.snapshot.metadata.term = term
    message.message.snapshot.metadata.index = index
    return message
  }

  private static func header(region: UInt64, to store: UInt64) -> RaftServerpb_RaftMessage {
    var message = RaftServerpb_RaftMessage()
    message.regionID = region
    message.fromPeer.id = 1
    message.fromPeer.storeID = 1
    message.toPeer.id = store
    message.toPeer.storeID = store
    message.message.from = 1
    message.message.to = store
    return message
  }
}
