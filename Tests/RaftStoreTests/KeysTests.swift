import Foundation
import Testing

@testable import RaftStore

@Suite struct KeysTests {
  @Test func raftLogKeyHasTinyKVLayout() {
    let key = Keys.raftLogKey(0x0102, 0x0A0B)
    #expect(
      [UInt8](key) == [
        0x01, 0x02, 0, 0, 0, 0, 0, 0, 0x01, 0x02, 0x01, 0, 0, 0, 0, 0, 0, 0x0A, 0x0B,
      ])
    #expect(Keys.parseRaftLogKey(key)! == (0x0102, 0x0A0B))
  }

  @Test func stateKeysHaveTinyKVLayout() {
    #expect([UInt8](Keys.raftStateKey(7)) == [0x01, 0x02, 0, 0, 0, 0, 0, 0, 0, 7, 0x02])
    #expect([UInt8](Keys.applyStateKey(7)) == [0x01, 0x02, 0, 0, 0, 0, 0, 0, 0, 7, 0x03])
    #expect([UInt8](Keys.regionStateKey(7)) == [0x01, 0x03, 0, 0, 0, 0, 0, 0, 0, 7, 0x01])
    #expect(Keys.parseRegionStateKey(Keys.regionStateKey(7)) == 7)
  }

  @Test func logKeysSortByIndexWithinARegionAndBeforeTheRaftState() {
    let keys = [Keys.raftLogKey(1, 255), Keys.raftLogKey(1, 256), Keys.raftStateKey(1)]
    #expect(
      keys.map { [UInt8]($0) }
        == keys.map { [UInt8]($0) }.sorted { $0.lexicographicallyPrecedes($1) })
    #expect(Keys.raftLogKey(1, .max).lexicographicallyPrecedes(Keys.raftLogKey(2, 0)))
  }

  @Test func parsingRejectsOtherKeys() {
    #expect(Keys.parseRaftLogKey(Keys.raftStateKey(1)) == nil)
    #expect(Keys.parseRaftLogKey(Data()) == nil)
    #expect(Keys.parseRegionStateKey(Keys.raftLogKey(1, 1)) == nil)
  }
}
