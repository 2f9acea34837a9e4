import Engine
import Foundation
import Storage

/// One logical entry a scan yields: a key's value, or the lock that hides it.
public enum ScanEntry: Hashable, Sendable {
  case value(key: Data, value: Data)
  case locked(key: Data, lock: Lock)

  public var key: Data {
    switch self {
    case .value(let key, _), .locked(let key, _): key
    }
  }
}

/// Walks the logical key-value pairs a snapshot read at `ts` sees, in key order, from a start
/// key on.
///
/// Merges the `lock` and `write` column families: a key whose lock blocks the read is yielded as
/// `.locked` (even if it has no committed version yet); otherwise the key's newest visible
/// version is yielded if it is a put. Older versions, deletes, lock-only and rollback records are
/// skipped.
public struct Scanner<Reader: StorageReader> {
  private let ts: UInt64
  private let keyOnly: Bool
  private let lockIterator: DBIterator
  private let writeIterator: DBIterator
  /// Walks `default` alongside `write`, so that a put's value is usually the next pair rather
  /// than a point lookup; nil for a key-only scan.
  private let valueIterator: DBIterator?
  /// How many versions of one key `skipVersions` steps over before it seeks past the rest.
  private static var versionsStepped: Int { 3 }

  /// - Parameters:
  ///   - startKey: the first user key to consider.
  ///   - endKey: the exclusive end; `nil` means none.
  ///   - ts: the snapshot timestamp.
  ///   - keyOnly: yield empty values instead of reading each put's value from `default`.
  public init(
    _ reader: MvccReader<Reader>, from startKey: Data, to endKey: Data? = nil, at ts: UInt64,
    keyOnly: Bool = false
  ) throws {
    self.ts = ts
    self.keyOnly = keyOnly
    // Every stored key of a user key below `endKey` sorts below its encoding, and every stored
    // key of `endKey` and above at or above it (no encoding is a prefix of another).
    let bounds = KeyBounds(upper: endKey.map(Memcomparable.encode))
    lockIterator = try reader.reader.iterator(.lock, bounds: bounds)
    writeIterator = try reader.reader.iterator(.write, bounds: bounds)
    valueIterator = keyOnly ? nil : try reader.reader.iterator(.default, bounds: bounds)
    lockIterator.seek(MvccKey.lockKey(startKey))
    writeIterator.seek(MvccKey.encode(startKey, TSO.max))
  }

  /// The next entry, or `nil` at the end.
  public mutating func next() throws -> ScanEntry? {
    while true {
      let lockKey = lockIterator.isValid ? lockIterator.key : nil
      let writeUserKey =
        writeIterator.isValid ? try MvccKey.encodedUserKey(of: writeIterator.key) : nil
      let current: Data
      switch (lockKey, writeUserKey) {
      case (nil, nil):
        try lockIterator.checkStatus()
        try writeIterator.checkStatus()
        return nil
      case (let lock?, nil): current = lock
      case (nil, let write?): current = write
      case (let lock?, let write?): current = lock.lexicographicallyPrecedes(write) ? lock : write
      }
      let userKey = try Memcomparable.decode(current)

      if lockKey == current {
        let lock = try Lock(decoding: lockIterator.value)
        lockIterator.next()
        if lock.blocksRead(at: ts) {
          if writeUserKey == current { skipVersions(of: current) }
          return .locked(key: userKey, lock: lock)
        }
      }
      if writeUserKey == current {
        let value = try visibleValue(encodedUserKey: current)
        skipVersions(of: current)
        if let value { return .value(key: userKey, value: value) }
      }
    }
  }

  /// Reads up to `limit` entries.
  public mutating func next(limit: Int) throws -> [ScanEntry] {
    var entries: [ScanEntry] = []
    while entries.count < limit, let entry = try next() { entries.append(entry) }
    return entries
  }

  /// The value of the key at `ts`, read through the write iterator, which stands at the key's
  /// newest version (versions run newest first) and is left at the version that decided, or
  /// past the key.
  private func visibleValue(encodedUserKey: Data) throws -> Data? {
    var sought = false
    while writeIterator.isValid {
      let key = writeIterator.key
      guard Self.isVersion(key, of: encodedUserKey) else { return nil }
      if !sought, try MvccKey.timestamp(of: key) > ts {
        // Versions newer than the snapshot: jump to the first one at or below it.
        var seekKey = encodedUserKey
        MvccKey.appendTimestamp(ts, to: &seekKey)
        writeIterator.seek(seekKey)
        sought = true
        continue
      }
      let write = try Write(decoding: writeIterator.value)
      switch write.kind {
      case .put:
        if keyOnly { return Data() }
        return try committedValue(encodedUserKey: encodedUserKey, startTS: write.startTS)
      case .delete: return nil
      case .lock, .rollback: writeIterator.next()
      }
    }
    try writeIterator.checkStatus()
    return nil
  }

  /// The value a put of the transaction that started at `startTS` left in `default`: usually
  /// the pair after the one the value iterator read last, since values are read in key order;
  /// else found by a seek.
  /// - Throws: `TransactionError.corruptRecord` if it is missing.
  private func committedValue(encodedUserKey: Data, startTS: UInt64) throws -> Data {
    guard let valueIterator else { return Data() }
    var wanted = encodedUserKey
    MvccKey.appendTimestamp(startTS, to: &wanted)
    if valueIterator.isValid {
      valueIterator.next()
      if valueIterator.isValid, valueIterator.key == wanted { return valueIterator.value }
    }
    valueIterator.seek(wanted)
    if valueIterator.isValid, valueIterator.key == wanted { return valueIterator.value }
    try valueIterator.checkStatus()
    throw TransactionError.corrupt("committed put at start ts \(startTS) has no value")
  }

  /// Moves the write iterator past the versions of `encodedUserKey`: a few steps, as a key
  /// usually has one or two, then a seek past the rest.
  private func skipVersions(of encodedUserKey: Data) {
    for _ in 0..<Self.versionsStepped {
      guard writeIterator.isValid, Self.isVersion(writeIterator.key, of: encodedUserKey) else {
        return
      }
      writeIterator.next()
    }
    if writeIterator.isValid, Self.isVersion(writeIterator.key, of: encodedUserKey) {
      writeIterator.seek(MvccKey.versionBounds(encodedUserKey: encodedUserKey).upper)
    }
  }

  /// Whether the `write` key `key` is a version of `encodedUserKey` (no encoding is a prefix of
  /// another, so a longer key starting with it is one of its versions).
  private static func isVersion(_ key: Data, of encodedUserKey: Data) -> Bool {
    guard key.count == encodedUserKey.count + 8 else { return false }
    // Compared as raw bytes: `starts(with:)` walks `Data` one element at a time.
    return key.withUnsafeBytes { key in
      encodedUserKey.withUnsafeBytes { prefix in
        prefix.isEmpty || memcmp(key.baseAddress!, prefix.baseAddress!, prefix.count) == 0
      }
    }
  }
}
