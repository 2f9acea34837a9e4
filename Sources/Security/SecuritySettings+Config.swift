import ConfigFile

extension SecuritySettings {
  /// Reads a `[security]` table over these settings, in `dialect`'s key names (an empty path,
  /// as TiKV's and PD's sample files write them, means not set).
  /// - Throws: `ConfigError` for a value of the wrong kind.
  public mutating func load(_ table: ConfigTable, dialect: Dialect) throws {
    func path(_ key: String) throws -> String?? {
      guard let value = try table.string(key) else { return .none }
      return .some(value.isEmpty ? nil : value)
    }
    if let value = try path(dialect.caKey) { caPath = value }
    if let value = try path(dialect.certKey) { certPath = value }
    if let value = try path(dialect.keyKey) { keyPath = value }
    if let names = try table.strings(dialect.allowedCommonNamesKey) { allowedCommonNames = names }
  }
}
