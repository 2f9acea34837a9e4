/// The `[security]` settings of a process: where its CA, certificate and key are, and which peer
/// certificate names it lets in.
///
/// TiKV spells the keys `ca-path`, `cert-path`, `key-path`, `cert-allowed-cn`; PD spells the
/// first `cacert-path` (see ``SecuritySettings/Dialect``). With none of the three paths set the
/// process serves plain text; with all three it serves and dials mutual TLS only; with some of
/// them set it refuses to start (``validate()``).
public struct SecuritySettings: Sendable, Equatable {
  /// The PEM file of the certificate authority that signs every member's certificate.
  public var caPath: String?
  /// The PEM file of this process's certificate (its chain, leaf first).
  public var certPath: String?
  /// The PEM file of the private key of ``certPath``.
  public var keyPath: String?
  /// Names a peer's certificate must carry (subject CN or a DNS subject alternative name) to be
  /// let in; empty lets in any certificate the CA signed.
  public var allowedCommonNames: [String]

  /// Settings with the given paths and allow list; all `nil` means TLS is off.
  public init(
    caPath: String? = nil, certPath: String? = nil, keyPath: String? = nil,
    allowedCommonNames: [String] = []
  ) {
    self.caPath = caPath
    self.certPath = certPath
    self.keyPath = keyPath
    self.allowedCommonNames = allowedCommonNames
  }

  /// Whether TLS is on: all three paths are set (``validate()`` refuses some but not all).
  public var isEnabled: Bool { caPath != nil && certPath != nil && keyPath != nil }

  /// The three paths and their names as `dialect` spells them, in that order.
  func paths(in dialect: Dialect) -> [(key: String, path: String?)] {
    [(dialect.caKey, caPath), (dialect.certKey, certPath), (dialect.keyKey, keyPath)]
  }
}

extension SecuritySettings {
  /// How a configuration file names the settings: TiKV's or PD's `[security]` keys.
  public enum Dialect: Sendable {
    /// `tinykv-server`, as TiKV: `ca-path`, `cert-path`, `key-path`, `cert-allowed-cn`.
    case tikv
    /// `tinyscheduler-server`, as PD: `cacert-path`, `cert-path`, `key-path`, `cert-allowed-cn`.
    case pd

    /// The key of ``SecuritySettings/caPath``.
    public var caKey: String { self == .tikv ? "ca-path" : "cacert-path" }
    /// The key of ``SecuritySettings/certPath``.
    public var certKey: String { "cert-path" }
    /// The key of ``SecuritySettings/keyPath``.
    public var keyKey: String { "key-path" }
    /// The key of ``SecuritySettings/allowedCommonNames``.
    public var allowedCommonNamesKey: String { "cert-allowed-cn" }
    /// Every key of the `[security]` table, in the order above.
    public var keys: [String] { [caKey, certKey, keyKey, allowedCommonNamesKey] }
  }
}
