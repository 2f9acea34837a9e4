import Coprocessor

/// A value kept in the catalog (a column's default), in a form JSON can carry.
public enum StoredValue: Codable, Sendable, Equatable {
  case null
  case int(Int64)
  case uint(UInt64)
  case float(Double)
  case bytes([UInt8])
  /// `CURRENT_TIMESTAMP`: the time of the write, as text.
  case currentTimestamp

  /// `datum` as a stored value.
  /// - Precondition: a value, not a range bound.
  public init(_ datum: Datum) {
    switch datum {
    case .null, .minNotNull, .maxValue: self = .null
    case .int(let value): self = .int(value)
    case .uint(let value): self = .uint(value)
    case .float(let value): self = .float(value)
    case .bytes(let value): self = .bytes(value)
    }
  }

  /// The value as a datum (`CURRENT_TIMESTAMP` as the time now, `YYYY-MM-DD hh:mm:ss`).
  public var datum: Datum {
    switch self {
    case .null: .null
    case .int(let value): .int(value)
    case .uint(let value): .uint(value)
    case .float(let value): .float(value)
    case .bytes(let value): .bytes(value)
    case .currentTimestamp: .bytes(Array(WallClock.timestampText().utf8))
    }
  }
}
