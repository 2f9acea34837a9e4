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
  private var scan: Scan?
  /// Pairs read so far.
  public private(set) var pairsRead = 0

  private enum Scan {
    case ascending(Transaction.Scanner<Reader>)
    case descending(ReverseScanner<Reader>)
  }

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
        if scan == nil {
          guard let range = pending.popLast() else { return nil }
          scan = try open(range)
        }
        let entry: ScanEntry?
        switch scan! {
        case .ascending(var scanner):
          entry = try scanner.next()
          scan = .ascending(scanner)
        case .descending(var scanner):
          entry = try scanner.next()
          scan = .descending(scanner)
        }
        switch entry {
        case nil:
          scan = nil
        case .value(let key, let value)?:
          pairsRead += 1
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

  private func open(_ range: KeyRange) throws -> Scan {
    if descending {
      return .descending(
        try ReverseScanner(
          reader, below: Data(range.end), downTo: Data(range.start), at: timestamp))
    }
    return .ascending(
      try Transaction.Scanner(
        reader, from: Data(range.start), to: Data(range.end), at: timestamp, keyOnly: keyOnly))
  }
}
