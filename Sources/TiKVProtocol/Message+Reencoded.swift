import SwiftProtobuf

extension SwiftProtobuf.Message {
  /// This message as a `Target` of the other protocol, by serialising it and parsing the bytes.
  ///
  /// TinyKV's `errorpb`, `metapb` and `kvrpcpb.KeyError` messages use kvproto's field numbers
  /// and types for every field they have, so a TinyKV message parses as its TiKV twin field for
  /// field; fields only one side knows are left at their defaults (or kept as unknown fields).
  /// - Throws: the parser's error if the two messages do not share their numbers after all.
  package func reencoded<Target: SwiftProtobuf.Message>(
    as target: Target.Type = Target.self
  ) throws -> Target {
    try Target(serializedBytes: try serializedBytes() as [UInt8])
  }
}
