import Engine
import Foundation
import TestSupport
import Testing
import TinyKVProto

@testable import RaftStore

@Suite struct SplitCheckerTests {
  /// A kv engine with `count` keys `k00000`... of `valueSize`-byte values in `cf`.
  private func engine(
    _ directory: TemporaryDirectory, count: Int, valueSize: Int, cf: ColumnFamily = .default,
    suffix: Data = Data()
  ) throws -> Database {
    var options = DatabaseOptions()
    options.blockCacheBytes = 1 << 20
    options.writeBufferBytes = 1 << 20
    options.backgroundThreads = 1
    let database = try Database(path: directory.appending("kv"), options: options)
    let batch = try database.makeWriteBatch()
    for i in 0..<count {
      let key = Data(String(format: "k%05d", i).utf8) + suffix
      try batch.put(cf, key, Data(repeating: 7, count: valueSize))
    }
    try database.write(batch, sync: false)
    return database
  }

  private func region(_ start: String = "", _ end: String = "") -> Metapb_Region {
    var region = Metapb_Region()
    region.id = 1
    region.startKey = Data(start.utf8)
    region.endKey = Data(end.utf8)
    return region
  }

  private func thresholds(size: UInt64, keys: UInt64 = .max / 4) -> SplitThresholds {
    var thresholds = SplitThresholds()
    thresholds.splitSize = size * 2 / 3
    thresholds.maxSize = size
    thresholds.splitKeys = keys * 2 / 3
    thresholds.maxKeys = keys
    return thresholds
  }

  @Test func aSmallRegionIsMeasuredAndNotSplit() throws {
    let directory = try TemporaryDirectory("split")
    let database = try engine(directory, count: 100, valueSize: 94)  // 6 + 94 = 100 B per key
    let check = try SplitChecker.check(
      database.snapshot(), region: region(), thresholds: thresholds(size: 1 << 20))
    #expect(check == SplitCheck(size: 10_000, keys: 100, splitKey: nil))
  }

  @Test func aLargeRegionSplitsWhereTwoThirdsOfTheMaximumLieBefore() throws {
    let directory = try TemporaryDirectory("split")
    let database = try engine(directory, count: 1000, valueSize: 94)
    // 100 KB of data; split at 30 KB once past 45 KB.
    let check = try SplitChecker.check(
      database.snapshot(), region: region(), thresholds: thresholds(size: 45_000))
    #expect(check.splitKey == Data("k00299".utf8))
    #expect(check.size > 45_000 && check.size <= 45_100, "the scan stops once past the maximum")
  }

  @Test func keyCountsSplitToo() throws {
    let directory = try TemporaryDirectory("split")
    let database = try engine(directory, count: 1000, valueSize: 1)
    let check = try SplitChecker.check(
      database.snapshot(), region: region(),
      thresholds: thresholds(size: 1 << 30, keys: 600))
    #expect(check.splitKey == Data("k00399".utf8))
  }

  @Test func onlyTheRegionsRangeCounts() throws {
    let directory = try TemporaryDirectory("split")
    let database = try engine(directory, count: 1000, valueSize: 94)
    let check = try SplitChecker.check(
      database.snapshot(), region: region("k00100", "k00200"),
      thresholds: thresholds(size: 1 << 20))
    #expect(check == SplitCheck(size: 10_000, keys: 100, splitKey: nil))
    let split = try SplitChecker.check(
      database.snapshot(), region: region("k00100", "k00200"),
      thresholds: thresholds(size: 6_000))
    #expect(split.splitKey == Data("k00139".utf8))
  }

  @Test func columnFamiliesAreMergedAndTheKeyIsAligned() throws {
    let directory = try TemporaryDirectory("split")
    // Versions of each key in `write`, with an 8-byte timestamp after it; locks in `lock`.
    let timestamp = Data(repeating: 0xFF, count: 8)
    let database = try engine(
      directory, count: 600, valueSize: 86, cf: .write, suffix: timestamp)
    let batch = try database.makeWriteBatch()
    for i in 0..<600 { try batch.put(.lock, Data(String(format: "k%05d", i).utf8), Data()) }
    try database.write(batch, sync: false)
    // 600 x (14 + 86) + 600 x 6 = 63,600 bytes; split at 2/3 of 45,000 = 30,000.
    let check = try SplitChecker.check(
      database.snapshot(), region: region(), thresholds: thresholds(size: 45_000),
      align: { key, cf in cf == .write ? key.dropLast(8) : key })
    let splitKey = try #require(check.splitKey)
    #expect(splitKey.count == 6, "the timestamp is stripped: \(splitKey as NSData)")
    #expect(String(decoding: splitKey, as: UTF8.self) == "k00283")
  }

  @Test func aSplitKeyMustFallStrictlyInsideTheRegion() throws {
    let directory = try TemporaryDirectory("split")
    let database = try engine(directory, count: 10, valueSize: 10_000)
    // Every key aligns to the region's start: no key can split it.
    let check = try SplitChecker.check(
      database.snapshot(), region: region("k"), thresholds: thresholds(size: 20_000),
      align: { _, _ in Data("k".utf8) })
    #expect(check.splitKey == nil)
    #expect(check.keys == 10)
  }
}
