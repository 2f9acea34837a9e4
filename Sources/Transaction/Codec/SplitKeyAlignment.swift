import Engine
import Foundation

extension MvccKey {
  /// The split key to use for `key` found in `cf`, so that a region split never separates
  /// the versions of one user key: a versioned key (`write` or `default`, a memcomparable user
  /// key plus a timestamp) gives its encoded user key, which sorts before every version of it;
  /// anything else (a lock key, a raw key) is kept as it is. Region boundaries thus stay valid
  /// memcomparable encodings, as TiKV's clients expect.
  public static func splitKey(for key: Data, in cf: ColumnFamily) -> Data {
    guard cf == .write || cf == .default,
      let userKey = try? encodedUserKey(of: key),
      (try? Memcomparable.decode(userKey)) != nil
    else { return key }
    return userKey
  }
}
