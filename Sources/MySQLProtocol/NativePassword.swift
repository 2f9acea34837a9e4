import Crypto

/// `mysql_native_password`: the client proves it knows the password without sending it:
/// `SHA1(password) XOR SHA1(scramble + SHA1(SHA1(password)))`; an empty password answers with
/// no bytes at all.
public enum NativePassword {
  public static let pluginName = "mysql_native_password"

  /// The answer a client with `password` sends to `scramble`.
  public static func answer(password: String, scramble: [UInt8]) -> [UInt8] {
    guard !password.isEmpty else { return [] }
    let once = Array(Insecure.SHA1.hash(data: Array(password.utf8)))
    let twice = Array(Insecure.SHA1.hash(data: once))
    let mask = Array(Insecure.SHA1.hash(data: scramble + twice))
    return zip(once, mask).map { $0 ^ $1 }
  }

  /// Whether `answer` proves the password whose double hash `SHA1(SHA1(password))` is `stored`
  /// (nil: the account has an empty password, which only an empty answer proves).
  public static func verify(answer: [UInt8], scramble: [UInt8], stored: [UInt8]?) -> Bool {
    guard let stored else { return answer.isEmpty }
    guard answer.count == 20 else { return false }
    let mask = Array(Insecure.SHA1.hash(data: scramble + stored))
    let once = zip(answer, mask).map { $0 ^ $1 }
    return Array(Insecure.SHA1.hash(data: once)) == stored
  }

  /// The double hash a server keeps for `password` (nil for an empty one).
  public static func stored(password: String) -> [UInt8]? {
    guard !password.isEmpty else { return nil }
    return Array(Insecure.SHA1.hash(data: Array(Insecure.SHA1.hash(data: Array(password.utf8)))))
  }
}
