/// A TSO timestamp: milliseconds of wall time and a logical counter within that millisecond,
/// packed as `physical << 18 | logical`.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
  /// Bits of the packed form that hold the logical part.
  public static let logicalBits = 18
  /// Logical values per millisecond; a logical part is always below it.
  public static let maxLogical: Int64 = 1 << 18

  /// Milliseconds since the Unix epoch.
  public var physical: Int64
  /// Counter within the millisecond, `0..<maxLogical`.
  public var logical: Int64

  public init(physical: Int64, logical: Int64) {
    self.physical = physical
    self.logical = logical
  }

  /// Unpacks `physical << 18 | logical`.
  public init(packed: UInt64) {
    physical = Int64(packed >> UInt64(Self.logicalBits))
    logical = Int64(packed & UInt64(Self.maxLogical - 1))
  }

  /// `physical << 18 | logical`.
  public var packed: UInt64 { UInt64(physical) << UInt64(Self.logicalBits) | UInt64(logical) }

  public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.packed < rhs.packed }

  public var description: String { "\(physical).\(logical)" }
}
