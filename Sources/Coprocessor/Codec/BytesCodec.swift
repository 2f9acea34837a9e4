/// TiDB's byte-string encodings (TinySQL's `util/codec/bytes.go`), appended to a buffer.
public enum BytesCodec {
  static let groupSize = 8
  static let marker: UInt8 = 0xFF

  /// The *memcomparable* form, which sorts as the strings do and never is a prefix of another
  /// string's form: groups of 8 bytes, the last padded with zeros, each followed by a marker
  /// byte of 0xFF minus the group's padding (an exact multiple of 8 ends with an all-pad group).
  public static func appendComparable(_ data: some Collection<UInt8>, to out: inout [UInt8]) {
    var rest = data[...]
    out.reserveCapacity(out.count + (data.count / groupSize + 1) * (groupSize + 1))
    while true {
      let group = rest.prefix(groupSize)
      rest = rest.dropFirst(group.count)
      let padding = groupSize - group.count
      out.append(contentsOf: group)
      out.append(contentsOf: repeatElement(0, count: padding))
      out.append(marker - UInt8(padding))
      if padding > 0 { return }
    }
  }

  /// The *compact* form used in values: the length as a varint, then the bytes.
  public static func appendCompact(_ data: some Collection<UInt8>, to out: inout [UInt8]) {
    NumberCodec.appendVarint(Int64(data.count), to: &out)
    out.append(contentsOf: data)
  }
}
