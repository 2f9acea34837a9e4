/// Bytes that do not hold what TiDB's codec says they should: too short, a bad marker or pad
/// byte, a varint past 64 bits, a negative length.
public struct CodecError: Error, Equatable, CustomStringConvertible {
  /// What is wrong, for the error message.
  public let description: String

  /// An error saying `description`.
  public init(_ description: String) { self.description = description }
}
