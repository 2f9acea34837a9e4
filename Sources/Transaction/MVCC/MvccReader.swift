import Engine
import Foundation
import Storage

/// A committed write found in the `write` column family, with its commit timestamp.
public struct CommittedWrite: Hashable, Sendable {
  public var write: Write
  public var commitTS: UInt64
}

/// Reads the MVCC view of one storage snapshot: locks, write records and values.
public struct MvccReader<Reader: StorageReader>: Sendable {
  public let reader: Reader

  public init(_ reader: Reader) { self.reader = reader }

  /// The lock on `key`, if any.
  public func lock(_ key: Data) throws -> Lock? {
    guard let data = try reader.get(.lock, MvccKey.lockKey(key)) else { return nil }
    return try Lock(decoding: data)
  }

  /// The value of `key` that a snapshot at `ts` sees: the newest put committed at or before
  /// `ts`, unless a delete came after it. Lock-only and rollback records are looked through.
  /// - Throws: `TransactionError.corruptRecord` if a put's value is missing.
  public func value(_ key: Data, at ts: UInt64) throws -> Data? {
    let encodedKey = Memcomparable.encode(key)
    let iterator = try versions(encodedUserKey: encodedKey)
    iterator.seek(MvccKey.encode(key, ts))
    while iterator.isValid {
      let write = try Write(decoding: iterator.value)
      switch write.kind {
      case .put: return try committedValue(key, startTS: write.startTS)
      case .delete: return nil
      case .lock, .rollback: iterator.next()
      }
    }
    try iterator.checkStatus()
    return nil
  }

  /// The value a put of the transaction that started at `startTS` left in `default`.
  /// - Throws: `TransactionError.corruptRecord` if it is missing.
  func committedValue(_ key: Data, startTS: UInt64) throws -> Data {
    guard let value = try reader.get(.default, MvccKey.encode(key, startTS)) else {
      throw TransactionError.corrupt("committed put at start ts \(startTS) has no value")
    }
    return value
  }

  /// The write record the transaction that started at `startTS` left on `key` (a commit or a
  /// rollback), if any.
  public func write(_ key: Data, startTS: UInt64) throws -> CommittedWrite? {
    let iterator = try versions(encodedUserKey: Memcomparable.encode(key))
    iterator.seekToFirst()
    while iterator.isValid {
      let commitTS = try MvccKey.timestamp(of: iterator.key)
      // Commit timestamps are never below start timestamps: nothing older can be ours.
      if commitTS < startTS { return nil }
      let write = try Write(decoding: iterator.value)
      if write.startTS == startTS { return CommittedWrite(write: write, commitTS: commitTS) }
      iterator.next()
    }
    try iterator.checkStatus()
    return nil
  }

  /// The newest write record on `key`, whatever its kind and timestamp.
  public func mostRecentWrite(_ key: Data) throws -> CommittedWrite? {
    let iterator = try versions(encodedUserKey: Memcomparable.encode(key))
    iterator.seekToFirst()
    guard iterator.isValid else {
      try iterator.checkStatus()
      return nil
    }
    return CommittedWrite(
      write: try Write(decoding: iterator.value), commitTS: try MvccKey.timestamp(of: iterator.key))
  }

  /// The newest write record on `key`, rollback records skipped if asked.
  public func newestWrite(_ key: Data, skippingRollbacks: Bool) throws -> CommittedWrite? {
    let iterator = try versions(encodedUserKey: Memcomparable.encode(key))
    iterator.seekToFirst()
    while iterator.isValid {
      let write = try Write(decoding: iterator.value)
      if !skippingRollbacks || write.kind != .rollback {
        return CommittedWrite(write: write, commitTS: try MvccKey.timestamp(of: iterator.key))
      }
      iterator.next()
    }
    try iterator.checkStatus()
    return nil
  }

  /// Every lock whose start timestamp is `startTS`, with its user key, in key order.
  public func locks(startTS: UInt64) throws -> [(key: Data, lock: Lock)] {
    try locks { $0.startTS == startTS }
  }

  /// The locks from `startKey` (inclusive) to `endKey` (exclusive; `nil`: no end) that satisfy
  /// `isIncluded`, with their user keys, in key order, at most `limit` of them.
  public func locks(
    from startKey: Data = Data(), to endKey: Data? = nil, limit: Int = .max,
    where isIncluded: (Lock) -> Bool
  ) throws -> [(key: Data, lock: Lock)] {
    let bounds = KeyBounds(
      lower: startKey.isEmpty ? nil : MvccKey.lockKey(startKey), upper: endKey.map(MvccKey.lockKey))
    let iterator = try reader.iterator(.lock, bounds: bounds)
    iterator.seekToFirst()
    var found: [(key: Data, lock: Lock)] = []
    while found.count < limit, iterator.isValid {
      let lock = try Lock(decoding: iterator.value)
      if isIncluded(lock) {
        found.append((try Memcomparable.decode(iterator.key), lock))
      }
      iterator.next()
    }
    try iterator.checkStatus()
    return found
  }

  /// An iterator over the `write` column family limited to one key's versions.
  private func versions(encodedUserKey: Data) throws -> DBIterator {
    let bounds = MvccKey.versionBounds(encodedUserKey: encodedUserKey)
    return try reader.iterator(.write, bounds: KeyBounds(lower: bounds.lower, upper: bounds.upper))
  }
}
