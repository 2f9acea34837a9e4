import Engine
import Foundation

/// A `StorageReader` over one engine snapshot.
public struct SnapshotReader: StorageReader {
  public let snapshot: Snapshot

  public init(_ snapshot: Snapshot) { self.snapshot = snapshot }

  public func get(_ cf: ColumnFamily, _ key: Data) throws -> Data? {
    try snapshot.get(cf, key)
  }

  public func iterator(_ cf: ColumnFamily, bounds: KeyBounds) throws -> DBIterator {
    try snapshot.iterator(cf, bounds: bounds)
  }
}
