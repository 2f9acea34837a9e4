/// A bounded window of in-flight append messages to one follower, identified by the last
/// index each carried. Frees in order as acknowledgements arrive (flow control).
public struct Inflights: Sendable, Equatable {
  /// Ring buffer; only `count` slots starting at `start` are live.
  private var buffer: [UInt64]
  private var start = 0
  /// Number of in-flight messages. Invariant: `0 <= count <= capacity`.
  public private(set) var count = 0
  /// The maximum number of in-flight messages.
  public let capacity: Int

  /// Creates an empty window holding at most `capacity` messages.
  public init(capacity: Int) {
    self.capacity = max(capacity, 1)
    buffer = []
  }

  /// Whether no more messages may be sent.
  public var isFull: Bool { count == capacity }

  /// Records a message whose last entry is `index` (indexes must increase).
  mutating func add(_ index: UInt64) {
    precondition(!isFull, "cannot add into a full inflights window")
    if buffer.isEmpty { buffer = [UInt64](repeating: 0, count: capacity) }
    var slot = start + count
    if slot >= capacity { slot -= capacity }
    buffer[slot] = index
    count += 1
  }

  /// Frees every message whose last index is at most `index`.
  mutating func free(upTo index: UInt64) {
    guard count > 0, buffer[start] <= index else { return }
    var i = 0
    var slot = start
    while i < count {
      if buffer[slot] > index { break }
      slot += 1
      if slot >= capacity { slot -= capacity }
      i += 1
    }
    count -= i
    start = count == 0 ? 0 : slot
  }

  /// Frees the oldest message (a heartbeat response shows the follower is alive).
  mutating func freeFirst() {
    guard count > 0 else { return }
    free(upTo: buffer[start])
  }

  /// Forgets everything.
  mutating func reset() {
    count = 0
    start = 0
  }

  /// The in-flight last indexes, oldest first (for tests).
  var indexes: [UInt64] {
    (0..<count).map { buffer[($0 + start) % capacity] }
  }
}
