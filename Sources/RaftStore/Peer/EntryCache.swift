import TinyKVProto

/// The newest entries of a region's log in memory, so that appends to followers that keep up
/// (and the terms Raft checks) are served without reading the raft engine. Holds consecutive
/// indexes only, at most `maxBytes` of them (counted as `PeerStorage` counts entry sizes);
/// the oldest go first. Confined to the raft loop, like its `PeerStorage`.
struct EntryCache {
  private var cached: [Eraftpb_Entry] = []
  private var bytes = 0
  private let maxBytes: Int

  /// An empty cache of at most `maxBytes`.
  init(maxBytes: Int) { self.maxBytes = maxBytes }

  /// The size `PeerStorage.entries` counts for `entry` against a message's limit.
  static func size(of entry: Eraftpb_Entry) -> Int { entry.data.count + 12 }

  /// Adds entries just appended to the log (consecutive). Cached entries from the first new
  /// index on were overwritten and are dropped; if the new entries do not follow on from
  /// the cache, it starts over from them.
  mutating func append(_ entries: [Eraftpb_Entry]) {
    guard let first = entries.first?.index else { return }
    if let start = cached.first?.index, first > start, first <= cached[cached.count - 1].index + 1 {
      let keep = Int(first - start)
      bytes -= cached[keep...].reduce(0) { $0 + Self.size(of: $1) }
      cached.removeSubrange(keep...)
    } else {
      cached = []
      bytes = 0
    }
    cached += entries
    bytes += entries.reduce(0) { $0 + Self.size(of: $1) }
    var evict = 0
    while bytes > maxBytes && evict < cached.count - 1 {
      bytes -= Self.size(of: cached[evict])
      evict += 1
    }
    cached.removeFirst(evict)
  }

  /// Drops the entries at or below `index` (compacted away).
  mutating func drop(through index: UInt64) {
    guard let start = cached.first?.index, index >= start else { return }
    let count = min(Int(index - start + 1), cached.count)
    bytes -= cached[..<count].reduce(0) { $0 + Self.size(of: $1) }
    cached.removeFirst(count)
  }

  /// Empties the cache (the log was replaced by a snapshot).
  mutating func clear() {
    cached = []
    bytes = 0
  }

  /// Entries `lo..<hi` (`lo < hi`) if all are cached, cut once they exceed `maxSize` bytes
  /// (at least one entry), or nil.
  func entries(_ lo: UInt64, _ hi: UInt64, maxSize: UInt64) -> [Eraftpb_Entry]? {
    guard let start = cached.first?.index, lo >= start, hi <= cached[cached.count - 1].index + 1
    else { return nil }
    var result: [Eraftpb_Entry] = []
    var size: UInt64 = 0
    for entry in cached[Int(lo - start)..<Int(hi - start)] {
      size += UInt64(Self.size(of: entry))
      if !result.isEmpty && size > maxSize { break }
      result.append(entry)
    }
    return result
  }
}
