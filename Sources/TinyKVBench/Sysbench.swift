import MySQLProtocol
import Randomness

/// sysbench's OLTP tables and statements (its `oltp_common.lua`): tables `sbtest1` ...
/// `sbtestN` of `(id, k, c, pad)` with `--table-size` rows each, ids 1 ... N, `k` random in
/// 1 ... N, `c` and `pad` random digit strings of 119 and 59 characters.
enum Sysbench {
  /// The database the tables live in.
  static let database = "sbtest"

  /// The name of table `index` (0-based): `sbtest1` for 0.
  static func table(_ index: Int) -> String { "sbtest\(index + 1)" }

  /// sysbench's table, with its secondary index on `k`.
  static func createTable(_ index: Int) -> String {
    """
    CREATE TABLE \(table(index)) (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, \
    k INT NOT NULL DEFAULT 0, c CHAR(120) NOT NULL DEFAULT '', \
    pad CHAR(60) NOT NULL DEFAULT '', KEY k_\(index + 1) (k))
    """
  }

  /// `c`: ten groups of 11 random digits joined by `-` (119 characters).
  static func c(_ random: inout SplitMix64) -> [UInt8] { digits(groups: 10, &random) }

  /// `pad`: five groups of 11 random digits joined by `-` (59 characters).
  static func pad(_ random: inout SplitMix64) -> [UInt8] { digits(groups: 5, &random) }

  /// A uniformly random value in 1 ... `size` (an id of a loaded row, or a `k`).
  static func id(_ random: inout SplitMix64, size: Int) -> Int64 {
    Int64(1 + random.next() % UInt64(size))
  }

  private static func digits(groups: Int, _ random: inout SplitMix64) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(groups * 12)
    for group in 0..<groups {
      if group > 0 { bytes.append(UInt8(ascii: "-")) }
      for _ in 0..<11 { bytes.append(UInt8(ascii: "0") + UInt8(random.next() % 10)) }
    }
    return bytes
  }
}

/// The statements the workloads run, each with `?` for its parameters, on one table.
enum SysbenchStatement: CaseIterable, Sendable, Hashable {
  /// `point-select`: one row by primary key.
  case pointSelect
  /// `range`: sysbench's four read-only range queries over 100 consecutive ids.
  case simpleRange, sumRange, orderRange, distinctRange
  /// `insert`: one row, its id from AUTO_INCREMENT.
  case insert

  /// The four kinds of `range`, in the order its report lists them.
  static let ranges: [SysbenchStatement] = [.simpleRange, .sumRange, .orderRange, .distinctRange]

  /// Ids a range query covers: `BETWEEN start AND start + 99`.
  static let rangeSize = 100

  /// The report's name of the statement.
  var name: String {
    switch self {
    case .pointSelect: "point"
    case .simpleRange: "simple"
    case .sumRange: "sum"
    case .orderRange: "order"
    case .distinctRange: "distinct"
    case .insert: "insert"
    }
  }

  /// The statement's text on `table`.
  func sql(table: String) -> String {
    switch self {
    case .pointSelect: "SELECT c FROM \(table) WHERE id=?"
    case .simpleRange: "SELECT c FROM \(table) WHERE id BETWEEN ? AND ?"
    case .sumRange: "SELECT SUM(k) FROM \(table) WHERE id BETWEEN ? AND ?"
    case .orderRange: "SELECT c FROM \(table) WHERE id BETWEEN ? AND ? ORDER BY c"
    case .distinctRange: "SELECT DISTINCT c FROM \(table) WHERE id BETWEEN ? AND ? ORDER BY c"
    case .insert: "INSERT INTO \(table) (k, c, pad) VALUES (?, ?, ?)"
    }
  }

  /// `sql` with `parameters` written in place of its `?`s, for the text protocol: integers in
  /// decimal, bytes quoted (`'` and `\` escaped).
  static func inline(_ sql: String, _ parameters: [BinaryValue]) -> String {
    var out: [UInt8] = []
    var remaining = parameters[...]
    for byte in sql.utf8 {
      guard byte == UInt8(ascii: "?"), let value = remaining.popFirst() else {
        out.append(byte)
        continue
      }
      switch value {
      case .null: out += Array("NULL".utf8)
      case .int(let number): out += Array(String(number).utf8)
      case .uint(let number): out += Array(String(number).utf8)
      case .double(let number): out += Array("\(number)".utf8)
      case .bytes(let bytes):
        out.append(UInt8(ascii: "'"))
        for byte in bytes {
          if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\\") {
            out.append(UInt8(ascii: "\\"))
          }
          out.append(byte)
        }
        out.append(UInt8(ascii: "'"))
      }
    }
    return String(decoding: out, as: UTF8.self)
  }
}
