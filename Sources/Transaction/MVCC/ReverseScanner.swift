import Engine
import Foundation
import Storage

/// Walks the logical key-value pairs a snapshot read at `ts` sees in descending key order, below
/// an exclusive upper bound: the reverse of `Scanner`, with the same rules (a key whose lock
/// blocks the read is yielded as `.locked`; otherwise its visible value, if any).
///
/// Each step finds the next smaller user key that has a lock or a version (one backward seek in
/// each of the `lock` and `write` column families), then reads that key's lock and value.
public struct ReverseScanner<Reader: StorageReader> {
  private let reader: MvccReader<Reader>
  private let ts: UInt64
  private let lockIterator: DBIterator
  private let writeIterator: DBIterator
  /// The encoded user key every next entry is below; `nil`: no bound (start at the end).
  private var upperEncoded: Data?
  /// The encoded inclusive lower bound.
  private let lowerEncoded: Data

  /// - Parameters:
  ///   - upperKey: the exclusive upper bound; empty means none (start at the last key).
  ///   - lowerKey: the inclusive lower bound; empty means none.
  ///   - ts: the snapshot timestamp.
  public init(
    _ reader: MvccReader<Reader>, below upperKey: Data, downTo lowerKey: Data = Data(),
    at ts: UInt64
  ) throws {
    self.reader = reader
    self.ts = ts
    lowerEncoded = Memcomparable.encode(lowerKey)
    // The lower bound also keeps the iterators from walking below it.
    let bounds = KeyBounds(lower: lowerKey.isEmpty ? nil : lowerEncoded)
    lockIterator = try reader.reader.iterator(.lock, bounds: bounds)
    writeIterator = try reader.reader.iterator(.write, bounds: bounds)
    upperEncoded = upperKey.isEmpty ? nil : Memcomparable.encode(upperKey)
  }

  /// The next entry, or `nil` at the start of the key space.
  public mutating func next() throws -> ScanEntry? {
    while let encoded = try previousKey() {
      upperEncoded = encoded
      let userKey = try Memcomparable.decode(encoded)
      if let lock = try reader.lock(userKey), lock.blocksRead(at: ts) {
        return .locked(key: userKey, lock: lock)
      }
      if let value = try reader.value(userKey, at: ts) { return .value(key: userKey, value: value) }
    }
    return nil
  }

  /// The greatest encoded user key below `upperEncoded` and not below the lower bound that has
  /// a lock or a version.
  private func previousKey() throws -> Data? {
    // Every stored key of a user key below the bound sorts below the bound's encoding, since no
    // encoding is a prefix of another; the bound's own stored keys sort at or above it.
    if let upperEncoded {
      lockIterator.seekForPrev(upperEncoded)
      if lockIterator.isValid, lockIterator.key == upperEncoded { lockIterator.prev() }
      writeIterator.seekForPrev(upperEncoded)
    } else {
      lockIterator.seekToLast()
      writeIterator.seekToLast()
    }
    try lockIterator.checkStatus()
    try writeIterator.checkStatus()
    let lockKey = lockIterator.isValid ? lockIterator.key : nil
    let writeKey = writeIterator.isValid ? try MvccKey.encodedUserKey(of: writeIterator.key) : nil
    let key: Data? =
      switch (lockKey, writeKey) {
      case (nil, nil): nil
      case (let lock?, nil): lock
      case (nil, let write?): write
      case (let lock?, let write?): lock.lexicographicallyPrecedes(write) ? write : lock
      }
    guard let key, !key.lexicographicallyPrecedes(lowerEncoded) else { return nil }
    return key
  }

  /// Reads up to `limit` entries.
  public mutating func next(limit: Int) throws -> [ScanEntry] {
    var entries: [ScanEntry] = []
    while entries.count < limit, let entry = try next() { entries.append(entry) }
    return entries
  }
}
