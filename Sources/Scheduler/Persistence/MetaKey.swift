import Foundation

/// Key layout of the scheduler's database (one column family, `default`).
///
/// Singletons live under `c/`, stores under `s/` and regions under `r/`, followed by the id as
/// a big-endian `UInt64` so that a prefix scan returns them in id order.
enum MetaKey {
  static let clusterID = Data("c/cluster_id".utf8)
  static let bootstrap = Data("c/bootstrap".utf8)
  static let clusterConfig = Data("c/config".utf8)
  static let allocEnd = Data("c/alloc_end".utf8)
  static let tsoLimit = Data("c/tso_limit".utf8)
  static let gcSafePoint = Data("c/gc_safe_point".utf8)
  static let storePrefix = Data("s/".utf8)
  static let regionPrefix = Data("r/".utf8)

  static func store(_ id: UInt64) -> Data { storePrefix + bigEndian(id) }
  static func region(_ id: UInt64) -> Data { regionPrefix + bigEndian(id) }

  /// The first key after every key that starts with `prefix` (prefixes here never end in 0xff).
  static func end(of prefix: Data) -> Data {
    var end = prefix
    end[end.index(before: end.endIndex)] += 1
    return end
  }

  static func bigEndian(_ value: UInt64) -> Data {
    withUnsafeBytes(of: value.bigEndian) { Data($0) }
  }

  /// Decodes an 8-byte big-endian integer; nil for any other length.
  static func decodeUInt64(_ data: Data) -> UInt64? {
    guard data.count == 8 else { return nil }
    return data.reduce(UInt64(0)) { ($0 << 8) | UInt64($1) }
  }
}
