/// The system variables a session has: MySQL's names with the values a client asks about
/// when it connects (drivers read several), the few that change behaviour (`autocommit`,
/// `sql_mode`) and the rest kept as set. Names compare case-insensitively.
struct SystemVariables {
  /// The defaults: MySQL 8's, with TiDB's `STRICT_TRANS_TABLES` SQL mode.
  static let defaults: [String: String] = [
    "autocommit": "ON",
    "sql_mode": "STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,"
      + "ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION",
    "version": "8.0.11-TinyKV-Swift",
    "version_comment": "TinyKV-Swift tinysql-server",
    "version_compile_os": "Linux",
    "character_set_client": "utf8mb4",
    "character_set_connection": "utf8mb4",
    "character_set_results": "utf8mb4",
    "character_set_server": "utf8mb4",
    "character_set_database": "utf8mb4",
    "character_set_system": "utf8",
    "collation_connection": "utf8mb4_bin",
    "collation_server": "utf8mb4_bin",
    "collation_database": "utf8mb4_bin",
    "transaction_isolation": "REPEATABLE-READ",
    "tx_isolation": "REPEATABLE-READ",
    "transaction_read_only": "OFF",
    "tx_read_only": "OFF",
    "lower_case_table_names": "2",
    "max_allowed_packet": "67108864",
    "net_buffer_length": "16384",
    "wait_timeout": "28800",
    "interactive_timeout": "28800",
    "net_write_timeout": "60",
    "time_zone": "SYSTEM",
    "system_time_zone": "UTC",
    "sql_select_limit": "18446744073709551615",
    "auto_increment_increment": "1",
    "auto_increment_offset": "1",
    "license": "Apache-2.0",
    "init_connect": "",
    "have_ssl": "DISABLED",
    "performance_schema": "OFF",
    "query_cache_size": "0",
    "query_cache_type": "OFF",
    "default_storage_engine": "InnoDB",
    "storage_engine": "InnoDB",
    "sql_auto_is_null": "OFF",
    "sql_safe_updates": "OFF",
    "foreign_key_checks": "ON",
    "unique_checks": "ON",
    "max_execution_time": "0",
    "warning_count": "0",
    "error_count": "0",
    "port": "4000",
    "hostname": "localhost",
    "datadir": "",
  ]

  private var values: [String: String] = Self.defaults

  /// The value of `name`; nil for a variable that does not exist.
  func value(_ name: String) -> String? { values[name.lowercased()] }

  /// Sets `name`, normalising booleans to ON/OFF.
  /// - Throws: 1193 for a variable that does not exist.
  mutating func set(_ name: String, _ value: String) throws(SQLError) {
    let key = name.lowercased()
    guard let current = values[key] else { throw SQLError.unknownVariable(name) }
    if current == "ON" || current == "OFF" {
      switch value.uppercased() {
      case "1", "ON", "TRUE": values[key] = "ON"
      case "0", "OFF", "FALSE": values[key] = "OFF"
      default:
        throw SQLError(
          code: 1231, sqlState: "42000",
          message: "Variable '\(name)' can't be set to the value of '\(value)'")
      }
    } else {
      values[key] = value
    }
  }

  /// Every variable, by name.
  var all: [(name: String, value: String)] {
    values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
  }

  /// `autocommit` is on.
  var autocommit: Bool { values["autocommit"] == "ON" }

  /// `sql_mode` makes bad values errors.
  var strict: Bool {
    let mode = values["sql_mode"]?.uppercased() ?? ""
    return mode.contains("STRICT_TRANS_TABLES") || mode.contains("STRICT_ALL_TABLES")
  }
}
