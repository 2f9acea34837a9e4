import Foundation
import TinyKVProto

/// Gathers what a store heartbeat reports: disk capacity and free space of the data folder's
/// file system, the bytes the folder holds, and the store's region count.
public struct StoreStatsCollector: Sendable {
  /// The store.
  public let storeID: UInt64
  /// The data folder (both engines live below it).
  public let dataPath: String
  /// How many regions the store holds now.
  public let regionCount: @Sendable () -> Int
  /// When the store started, in seconds since the epoch.
  public let startTime: UInt32

  /// A collector for `storeID`, whose data is under `dataPath`.
  public init(storeID: UInt64, dataPath: String, regionCount: @escaping @Sendable () -> Int) {
    self.storeID = storeID
    self.dataPath = dataPath
    self.regionCount = regionCount
    self.startTime = UInt32(clamping: Int(Date().timeIntervalSince1970))
  }

  /// The statistics now, for a heartbeat covering `[start, end]` (seconds since the epoch).
  public func collect(intervalStart start: UInt64, end: UInt64) -> Schedulerpb_StoreStats {
    var stats = Schedulerpb_StoreStats()
    stats.storeID = storeID
    stats.startTime = startTime
    stats.regionCount = UInt32(clamping: regionCount())
    stats.interval.startTimestamp = start
    stats.interval.endTimestamp = end
    var fileSystem = statvfs()
    if statvfs(dataPath, &fileSystem) == 0 {
      let blockSize = UInt64(fileSystem.f_frsize)
      stats.capacity = UInt64(fileSystem.f_blocks) * blockSize
      stats.available = UInt64(fileSystem.f_bavail) * blockSize
    }
    stats.usedSize = Self.bytes(under: dataPath)
    return stats
  }

  /// The total size of the regular files below `path`.
  static func bytes(under path: String) -> UInt64 {
    guard let files = FileManager.default.enumerator(atPath: path) else { return 0 }
    var total: UInt64 = 0
    for case let name as String in files {
      let attributes = try? FileManager.default.attributesOfItem(atPath: path + "/" + name)
      if attributes?[.type] as? FileAttributeType == .typeRegular {
        total += (attributes?[.size] as? NSNumber)?.uint64Value ?? 0
      }
    }
    return total
  }
}
