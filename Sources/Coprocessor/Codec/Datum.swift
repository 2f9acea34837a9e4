/// One value as TinySQL's codec carries it in keys and values. TinySQL has no decimal, time or
/// JSON datums, so neither does this.
public enum Datum: Sendable, Hashable {
  case null
  case int(Int64)
  case uint(UInt64)
  case float(Double)
  /// A string or a byte string: the codec does not tell them apart.
  case bytes([UInt8])
  /// Sorts after `null` and before every value: the open lower bound of a range.
  case minNotNull
  /// Sorts after every value: the open upper bound of a range.
  case maxValue
}
