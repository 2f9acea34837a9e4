import Coprocessor

/// The order ORDER BY, DISTINCT and GROUP BY put values in: NULL first, numbers by value
/// (integers exactly, against reals as reals), strings bytewise (binary collation, as
/// TinySQL's), numbers before strings.
enum DatumOrder {
  /// -1, 0 or 1 as `a` sorts before, with or after `b`.
  static func compare(_ a: Datum, _ b: Datum) -> Int {
    func sign<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : x == y ? 0 : 1 }
    switch (a, b) {
    case (.null, .null): return 0
    case (.null, _): return -1
    case (_, .null): return 1
    case (.int(let x), .int(let y)): return sign(x, y)
    case (.uint(let x), .uint(let y)): return sign(x, y)
    case (.int(let x), .uint(let y)): return x < 0 ? -1 : sign(UInt64(x), y)
    case (.uint(let x), .int(let y)): return y < 0 ? 1 : sign(x, UInt64(y))
    case (.bytes(let x), .bytes(let y)): return x == y ? 0 : x.lexicographicallyPrecedes(y) ? -1 : 1
    case (.bytes, _): return 1
    case (_, .bytes): return -1
    default: return sign(number(a), number(b))
    }
  }

  /// Rows compared on `keys` (offsets with a direction), in order.
  static func compare(_ a: Row, _ b: Row, keys: [(offset: Int, descending: Bool)]) -> Int {
    for key in keys {
      let order = compare(a[key.offset], b[key.offset])
      if order != 0 { return key.descending ? -order : order }
    }
    return 0
  }

  private static func number(_ datum: Datum) -> Double {
    switch datum {
    case .int(let value): Double(value)
    case .uint(let value): Double(value)
    case .float(let value): value
    case .minNotNull: -.infinity
    case .maxValue: .infinity
    default: 0
    }
  }
}

/// A key for hashing values the way GROUP BY and joins match them: integers and reals of the
/// same value are one key (1 = 1.0), NULL is its own key.
enum GroupKey: Hashable {
  case null
  case integer(Int64)
  case unsigned(UInt64)
  case real(Double)
  case bytes([UInt8])

  init(_ datum: Datum) {
    switch datum {
    case .null, .minNotNull, .maxValue: self = .null
    case .int(let value): self = .integer(value)
    case .uint(let value):
      self = value <= UInt64(Int64.max) ? .integer(Int64(value)) : .unsigned(value)
    case .float(let value):
      if let exact = Int64(exactly: value) { self = .integer(exact) } else { self = .real(value) }
    case .bytes(let value): self = .bytes(value)
    }
  }
}
