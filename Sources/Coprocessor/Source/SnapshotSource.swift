import Foundation
import Storage
import Transaction

/// The pairs a request's snapshot holds in its ranges: each key's newest value committed at or
/// before the request's `start_ts` (the transaction layer's `Scanner`), range after range, in
/// ascending order or, for a descending scan, all of it backwards (`ReverseScanner`). A key whose
/// lock hides it from the snapshot stops the scan with `CoprocessorError.locked`, so the
/// client resolves the lock and asks again.
///
/// Reads lazily: an executor above that stops pulling (a `Limit`) stops the reading.
public struct SnapshotSource<Reader: StorageReader>: KeyValueSource {
  private let reader: MvccReader<Reader>
  private let timestamp: UInt64
  private let descending: Bool
  private let keyOnly: Bool
  /// The ranges not started yet, the next one last.
  private var pending: [KeyRange]
  /// The range being read: one of the two, by the scan's direction (two optionals rather than
  /// an enum, so that each step mutates the scanner in place instead of copying it out and
  /// back).
  private var forward: Transaction.Scanner<Reader>?
  private var backward: ReverseScanner<Reader>?

  /// The pairs of `ranges` (ascending, not overlapping) in `reader`'s snapshot at `timestamp`;
  /// `keyOnly`: with empty values, not read (an ascending scan only; a descending one reads
  /// them anyway).
  public init(
    _ reader: Reader, ranges: [KeyRange], at timestamp: UInt64, descending: Bool = false,
    keyOnly: Bool = false
  ) {
    self.reader = MvccReader(reader)
    self.timestamp = timestamp
    self.descending = descending
    self.keyOnly = keyOnly
    pending = descending ? ranges : ranges.reversed()
  }

  public mutating func next() throws(CoprocessorError) -> (key: [UInt8], value: [UInt8])? {
    do {
      while true {
        if forward == nil, backward == nil {
          guard let range = pending.popLast() else { return nil }
          try open(range)
        }
        let entry = forward != nil ? try forward!.next() : try backward!.next()
        switch entry {
        case nil:
          forward = nil
          backward = nil
        case .value(let key, let value)?:
          return (Array(key), Array(value))
        case .locked(let key, let lock)?:
          throw CoprocessorError.locked(lock.info(key: key))
        }
      }
    } catch let error as CoprocessorError {
      throw error
    } catch {
      throw CoprocessorError("reading the snapshot failed: \(error)")
    }
  }

  private mutating func open(_ range: KeyRange) throws {
    if descending {
      backward = try ReverseScanner(
        reader, below: Data(range.end), downTo: Data(range.start), at: timestamp)
    } else {
      forward = try Transaction.Scanner(
        reader, from: Data(range.start), to: Data(range.end), at: timestamp, keyOnly: keyOnly)
    }
  }
}
