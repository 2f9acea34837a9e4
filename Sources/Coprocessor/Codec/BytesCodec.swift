import Foundation
import Transaction

/// TiDB's byte-string encodings (TinySQL's `util/codec/bytes.go`), appended to a buffer.
public enum BytesCodec {
  /// The *memcomparable* form, which sorts as the strings do and never is a prefix of another
  /// string's form (the transaction layer's `Memcomparable`, which encodes MVCC keys the same
  /// way): groups of 8 bytes, the last padded with zeros, each followed by a marker byte of 0xFF
  /// minus the group's padding (an exact multiple of 8 ends with an all-pad group).
  public static func appendComparable(_ data: some Collection<UInt8>, to out: inout [UInt8]) {
    out.append(contentsOf: Memcomparable.encode(Data(data)))
  }

  /// The *compact* form used in values: the length as a varint, then the bytes.
  public static func appendCompact(_ data: some Collection<UInt8>, to out: inout [UInt8]) {
    NumberCodec.appendVarint(Int64(data.count), to: &out)
    out.append(contentsOf: data)
  }
}
