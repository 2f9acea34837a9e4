import Engine
import Foundation
import TestSupport
import TinyKVProto

@testable import RaftStore

/// A store's engines holding region 1 applied up to index 50 (term 7), with data in the
/// default, lock and write column families, and a snapshot generated from them.
final class SnapshotFixture {
  let engines: PeerStorageTests.Engines
  let manager: SnapshotManager
  /// The region's data, by column family.
  var data: [String: [Data: Data]] = [:]

  init(keys: Int = 200) throws {
    engines = try PeerStorageTests.Engines()
    manager = try SnapshotManager(directory: engines.directory.appending("snap"))
    try PeerStorage.bootstrap(
      region: PeerStorageTests.region(), raftDB: engines.raftDB, kvDB: engines.kvDB)
    let batch = try engines.kvDB.makeWriteBatch()
    for i in 0..<keys {
      for cf in ColumnFamily.data where cf == .default || i % 3 == 0 {
        let key = Data("key-\(i)".utf8)
        let value = Data(repeating: UInt8(i % 251), count: 100)
        try batch.put(cf, key, value)
        data[cf.name, default: [:]][key] = value
      }
    }
    var applyState = RaftServerpb_RaftApplyState()
    applyState.appliedIndex = 50
    applyState.truncatedState.index = 50
    applyState.truncatedState.term = 7
    try batch.put(.meta, Keys.applyStateKey(1), applyState.serializedData())
    try engines.kvDB.write(batch, sync: true)
  }

  func generate() throws -> Eraftpb_Snapshot {
    try SnapshotGenerator.generate(
      regionID: 1, raftDB: engines.raftDB, kvDB: engines.kvDB, manager: manager)
  }

  /// The `MsgSnapshot` envelope carrying `snapshot` from peer 1 to peer 2.
  static func message(_ snapshot: Eraftpb_Snapshot) -> RaftServerpb_RaftMessage {
    var message = RaftServerpb_RaftMessage()
    message.regionID = 1
    message.fromPeer.id = 1
    message.fromPeer.storeID = 1
    message.toPeer.id = 2
    message.toPeer.storeID = 2
    message.message.msgType = .msgSnapshot
    message.message.snapshot = snapshot
    return message
  }

  /// Every key-value pair of `cf` in `db`.
  static func contents(_ db: Database, _ cf: ColumnFamily) throws -> [Data: Data] {
    let iterator = try db.iterator(cf)
    var contents: [Data: Data] = [:]
    iterator.seekToFirst()
    while iterator.isValid {
      contents[iterator.key] = iterator.value
      iterator.next()
    }
    try iterator.checkStatus()
    return contents
  }

  /// The files in `manager`'s directory.
  static func files(_ manager: SnapshotManager) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: manager.directory).sorted()
  }
}
