/// Bytes that do not hold what TiDB's codec says they should: too short, a bad marker or pad
/// byte, a varint past 64 bits, a negative length.
public struct CodecError: Error, Equatable, CustomStringConvertible {
  public let description: String

  public init(_ description: String) { self.description = description }
}
