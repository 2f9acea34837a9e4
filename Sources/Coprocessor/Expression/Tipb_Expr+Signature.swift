import TipbProto

extension Tipb_Expr {
  /// The number of the scalar function signature the sender wrote, also one that our subset of
  /// tipb does not name: SwiftProtobuf keeps such a proto2 enum value among the unknown fields
  /// (field 4) and reads `sig` as its default. Nil when there is none.
  var signatureNumber: Int? {
    if hasSig { return sig.rawValue }
    var reader = ByteReader(unknownFields.data)
    while !reader.isEmpty {
      guard let tag = try? reader.uvarint() else { return nil }
      let (field, wireType) = (tag >> 3, tag & 7)
      do throws(CodecError) {
        switch wireType {
        case 0:
          let value = try reader.uvarint()
          if field == 4 { return Int(truncatingIfNeeded: Int64(bitPattern: value)) }
        case 1: _ = try reader.take(8)
        case 2: _ = try reader.take(Int(try reader.uvarint()))
        case 5: _ = try reader.take(4)
        default: return nil
        }
      } catch {
        return nil
      }
    }
    return nil
  }
}
