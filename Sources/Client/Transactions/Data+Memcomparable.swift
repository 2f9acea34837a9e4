import Foundation

/// The key space transactional regions are split in: `memcomparable(user key)`, the encoding of
/// the `Transaction` module's `Memcomparable` (8-byte groups, the last zero-padded, each
/// followed by `0xFF - padding`), which the client does not link. Only what routing needs is
/// here; `ClientTests` checks it against the server's encoder.
extension Data {
  /// The region-space key of this user key.
  var memcomparable: Data {
    var out = Data(capacity: (count / 8 + 1) * 9)
    var rest = self[...]
    while true {
      let group = rest.prefix(8)
      rest = rest.dropFirst(group.count)
      out.append(contentsOf: group)
      out.append(contentsOf: repeatElement(0, count: 8 - group.count))
      out.append(0xFF - UInt8(8 - group.count))
      if group.count < 8 { return out }
    }
  }

  /// The user key a scan continues from at this region boundary: the key whose encoding it is
  /// (region boundaries of transactional data are encoded user keys). A boundary that is not a
  /// whole encoding (a raw split key) gives the bytes its groups hold, a lower bound; the
  /// caller drops the pairs outside the region anyway.
  var userKeyAtBoundary: Data {
    var key = Data()
    var rest = self[...]
    while !rest.isEmpty {
      let group = rest.prefix(9)
      rest = rest.dropFirst(group.count)
      guard group.count == 9, let marker = group.last else { return key + group }
      let used = 8 - Int(0xFF - marker).clamped(to: 0...8)
      key.append(contentsOf: group.prefix(used))
      if used < 8 { return key }
    }
    return key
  }
}

extension Comparable {
  fileprivate func clamped(to range: ClosedRange<Self>) -> Self {
    Swift.min(Swift.max(self, range.lowerBound), range.upperBound)
  }
}
