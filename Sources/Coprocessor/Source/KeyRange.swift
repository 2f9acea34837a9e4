/// A half-open range of user keys a request reads: `[start, end)`.
public struct KeyRange: Sendable, Equatable {
  public var start: [UInt8]
  public var end: [UInt8]

  public init(start: [UInt8], end: [UInt8]) {
    self.start = start
    self.end = end
  }
}
