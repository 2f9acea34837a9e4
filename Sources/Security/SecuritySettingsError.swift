/// Why ``SecuritySettings`` cannot be used; each names the configuration key at fault.
public enum SecuritySettingsError: Error, Equatable, CustomStringConvertible {
  /// Some but not all of the three paths are set.
  case incomplete(set: [String], missing: [String])
  /// A path names no file, or one this process cannot read.
  case unreadable(key: String, path: String, reason: String)
  /// A file is readable but holds no usable PEM certificate or key.
  case malformed(key: String, path: String, reason: String)
  /// The private key is not the key of the certificate.
  case keyDoesNotMatchCertificate(certPath: String, keyPath: String)

  public var description: String {
    switch self {
    case .incomplete(let set, let missing):
      "[security] sets \(set.joined(separator: ", ")) but not \(missing.joined(separator: ", ")): "
        + "set all three to serve TLS, or none to serve plain text"
    case .unreadable(let key, let path, let reason):
      "[security] \(key) = \"\(path)\" cannot be read: \(reason)"
    case .malformed(let key, let path, let reason):
      "[security] \(key) = \"\(path)\" is not a usable PEM file: \(reason)"
    case .keyDoesNotMatchCertificate(let certPath, let keyPath):
      "[security] the private key \"\(keyPath)\" is not the key of the certificate \"\(certPath)\""
    }
  }
}
