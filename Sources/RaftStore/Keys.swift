import Foundation

/// TinyKV's local metadata keys (big-endian integers), so that data written by one store is laid
/// out as TinyKV and TiKV lay it out:
///
/// | what | key | engine |
/// | --- | --- | --- |
/// | raft log entry | `0x01 0x02 region_id 0x01 index` | raft |
/// | `RaftLocalState` | `0x01 0x02 region_id 0x02` | raft |
/// | `RaftApplyState` | `0x01 0x02 region_id 0x03` | kv (`meta` column family) |
/// | `RegionLocalState` | `0x01 0x03 region_id 0x01` | kv (`meta` column family) |
/// | snapshot being applied | `0x01 0x02 region_id 0x04` | kv (`meta` column family) |
/// | a client session (ours) | `0x01 0x02 region_id 0x05 session_id` | kv (`meta` column family) |
package enum Keys {
  static let localPrefix: UInt8 = 0x01
  static let regionRaftPrefix: UInt8 = 0x02
  static let regionMetaPrefix: UInt8 = 0x03
  static let raftLogSuffix: UInt8 = 0x01
  static let raftStateSuffix: UInt8 = 0x02
  static let applyStateSuffix: UInt8 = 0x03
  static let regionStateSuffix: UInt8 = 0x01
  static let snapshotApplyingSuffix: UInt8 = 0x04
  static let sessionSuffix: UInt8 = 0x05

  /// The log term and index a bootstrapped region starts from (TinyKV's `RaftInitLogTerm/Index`).
  package static let initialLogTerm: UInt64 = 5
  /// See ``initialLogTerm``.
  package static let initialLogIndex: UInt64 = 5

  /// The key of the raft log entry `index` of region `regionID`.
  package static func raftLogKey(_ regionID: UInt64, _ index: UInt64) -> Data {
    var key = regionRaftKey(regionID, raftLogSuffix)
    append(index, to: &key)
    return key
  }

  /// The prefix every raft log key of `regionID` starts with (for range deletes and scans).
  package static func raftLogPrefix(_ regionID: UInt64) -> Data {
    regionRaftKey(regionID, raftLogSuffix)
  }

  /// The key of `regionID`'s `RaftLocalState`.
  package static func raftStateKey(_ regionID: UInt64) -> Data {
    regionRaftKey(regionID, raftStateSuffix)
  }

  /// The key of `regionID`'s `RaftApplyState`.
  package static func applyStateKey(_ regionID: UInt64) -> Data {
    regionRaftKey(regionID, applyStateSuffix)
  }

  /// The key of the `Eraftpb_Snapshot` region `regionID` is applying (present only from the
  /// moment the raft loop accepts a snapshot until its data is in the kv engine).
  package static func snapshotApplyingKey(_ regionID: UInt64) -> Data {
    regionRaftKey(regionID, snapshotApplyingSuffix)
  }

  /// The key of client session `sessionID` in region `regionID` (exactly-once writes).
  package static func sessionKey(_ regionID: UInt64, _ sessionID: UInt64) -> Data {
    var key = regionRaftKey(regionID, sessionSuffix)
    append(sessionID, to: &key)
    return key
  }

  /// The range of `regionID`'s session keys.
  package static func sessionRange(_ regionID: UInt64) -> (lower: Data, upper: Data) {
    (regionRaftKey(regionID, sessionSuffix), regionRaftKey(regionID, sessionSuffix + 1))
  }

  /// The key of `regionID`'s `RegionLocalState`.
  package static func regionStateKey(_ regionID: UInt64) -> Data {
    var key = Data([localPrefix, regionMetaPrefix])
    append(regionID, to: &key)
    key.append(regionStateSuffix)
    return key
  }

  /// The lower and upper bound of every `RegionLocalState` key (for scans at start).
  package static let regionStateRange: (lower: Data, upper: Data) = (
    Data([localPrefix, regionMetaPrefix]), Data([localPrefix, regionMetaPrefix + 1])
  )

  /// The lower and upper bound of every per-region raft key (log entries, raft and apply
  /// states, snapshot markers).
  package static let regionRaftRange: (lower: Data, upper: Data) = (
    Data([localPrefix, regionRaftPrefix]), Data([localPrefix, regionRaftPrefix + 1])
  )

  /// The region id of a snapshot-applying marker's key, or `nil` for any other key.
  package static func parseSnapshotApplyingKey(_ key: Data) -> UInt64? {
    let bytes = [UInt8](key)
    guard bytes.count == 11, bytes[0] == localPrefix, bytes[1] == regionRaftPrefix,
      bytes[10] == snapshotApplyingSuffix
    else { return nil }
    return readUInt64(bytes, at: 2)
  }

  /// The region id and index of a raft log key, or `nil` for any other key.
  package static func parseRaftLogKey(_ key: Data) -> (regionID: UInt64, index: UInt64)? {
    let bytes = [UInt8](key)
    guard bytes.count == 19, bytes[0] == localPrefix, bytes[1] == regionRaftPrefix,
      bytes[10] == raftLogSuffix
    else { return nil }
    return (readUInt64(bytes, at: 2), readUInt64(bytes, at: 11))
  }

  /// The region id of a `RegionLocalState` key, or `nil` for any other key.
  package static func parseRegionStateKey(_ key: Data) -> UInt64? {
    let bytes = [UInt8](key)
    guard bytes.count == 11, bytes[0] == localPrefix, bytes[1] == regionMetaPrefix,
      bytes[10] == regionStateSuffix
    else { return nil }
    return readUInt64(bytes, at: 2)
  }

  private static func regionRaftKey(_ regionID: UInt64, _ suffix: UInt8) -> Data {
    var key = Data([localPrefix, regionRaftPrefix])
    key.reserveCapacity(19)
    append(regionID, to: &key)
    key.append(suffix)
    return key
  }

  private static func append(_ value: UInt64, to key: inout Data) {
    withUnsafeBytes(of: value.bigEndian) { key.append(contentsOf: $0) }
  }

  private static func readUInt64(_ bytes: [UInt8], at offset: Int) -> UInt64 {
    var value: UInt64 = 0
    for byte in bytes[offset..<offset + 8] { value = value << 8 | UInt64(byte) }
    return value
  }
}
