import Foundation

/// The key range an iterator may visit: `lower` inclusive, `upper` exclusive, `nil` meaning
/// unbounded. Bounds let RocksDB skip whole files, so set them whenever the range is known.
public struct KeyBounds: Sendable, Hashable {
  public var lower: Data?
  public var upper: Data?

  public init(lower: Data? = nil, upper: Data? = nil) {
    self.lower = lower
    self.upper = upper
  }
}
