/// Timestamps as the scheduler's timestamp oracle makes them: `physical_ms << 18 | logical`.
public enum TSO {
  /// How many low bits hold the logical counter.
  public static let logicalBits = 18
  /// The largest timestamp; a read at `max` sees every committed write.
  public static let max = UInt64.max

  /// The physical part of `ts`, in milliseconds since the Unix epoch.
  public static func physicalMillis(_ ts: UInt64) -> UInt64 { ts >> UInt64(logicalBits) }

  /// The logical part of `ts`.
  public static func logical(_ ts: UInt64) -> UInt64 { ts & ((1 << UInt64(logicalBits)) - 1) }

  /// The timestamp of `physicalMillis` and `logical` (which must fit in 18 bits).
  public static func compose(physicalMillis: UInt64, logical: UInt64) -> UInt64 {
    precondition(logical >> UInt64(logicalBits) == 0, "logical part overflows 18 bits")
    return physicalMillis << UInt64(logicalBits) | logical
  }
}
