import TipbProto

/// One aggregate function of a pushed-down aggregation (TinySQL's `aggregation` package), with
/// what it keeps per group and the partial result it hands back for the SQL layer to merge:
///
/// | function | counts | partial result |
/// | --- | --- | --- |
/// | `count(a, ...)` | rows where no argument is NULL | the count |
/// | `sum(a)` | non-NULL values: integers as BIGINT (an error past its range), others as DOUBLE | the sum, NULL if none |
/// | `avg(a)` | as `sum` | the count, then the sum |
/// | `min(a)`, `max(a)` | non-NULL values | the least or greatest, NULL if none |
/// | `first_row(a)` | the group's first row | its value, NULL included |
struct Aggregate {
  enum Function {
    case count, sum, average, minimum, maximum, firstRow
  }

  /// What a group has gathered so far for one aggregate.
  struct State {
    var count: Int64 = 0
    var value: Datum = .null
    var seenRow = false
  }

  let function: Function
  let arguments: [Expression]

  /// The aggregate `pb` describes, over input rows of `columnCount` columns.
  /// - Throws: `CoprocessorError` for a function this store does not compute, a wrong argument
  ///   count, or an argument that does not check.
  init(_ pb: Tipb_Expr, columnCount: Int) throws(CoprocessorError) {
    switch pb.tp {
    case .count: function = .count
    case .sum: function = .sum
    case .avg: function = .average
    case .min: function = .minimum
    case .max: function = .maximum
    case .first: function = .firstRow
    default:
      throw CoprocessorError("aggregate function \(pb.tp) (\(pb.tp.rawValue)) is not supported")
    }
    arguments = try pb.children.map { (child) throws(CoprocessorError) in
      try Expression(child, columnCount: columnCount)
    }
    guard function == .count ? !arguments.isEmpty : arguments.count == 1 else {
      throw CoprocessorError("\(function) with \(arguments.count) arguments")
    }
  }

  /// How many columns its partial result takes.
  var partialWidth: Int { function == .average ? 2 : 1 }

  /// Adds `row` to `state`.
  func update(_ state: inout State, with row: [Datum]) throws(CoprocessorError) {
    switch function {
    case .count:
      for argument in arguments where try argument.evaluate(row) == .null { return }
      state.count += 1
    case .sum, .average:
      let value = try arguments[0].evaluate(row)
      guard value != .null else { return }
      let addend = try Self.summand(value)
      state.value =
        state.value == .null ? addend : try Expression.arithmetic(.plus, state.value, addend)
      state.count += 1
    case .minimum, .maximum:
      let value = try arguments[0].evaluate(row)
      guard value != .null else { return }
      if state.value == .null {
        state.value = value
      } else {
        let order = try Expression.order(value, state.value)
        if function == .minimum ? order < 0 : order > 0 { state.value = value }
      }
    case .firstRow:
      guard !state.seenRow else { return }
      state.value = try arguments[0].evaluate(row)
      state.seenRow = true
    }
  }

  /// The partial result of `state`, `partialWidth` values.
  func partialResult(_ state: State) -> [Datum] {
    switch function {
    case .count: [.int(state.count)]
    case .average: [.int(state.count), state.value]
    case .sum, .minimum, .maximum, .firstRow: [state.value]
    }
  }

  /// What a value adds to a sum: an integer as BIGINT, anything else as DOUBLE (a string by
  /// its numeric prefix, as MySQL reads "12abc" as 12).
  private static func summand(_ value: Datum) throws(CoprocessorError) -> Datum {
    switch value {
    case .int: return value
    case .uint(let unsigned):
      guard let signed = Int64(exactly: unsigned) else {
        throw CoprocessorError(
          "BIGINT value is out of range in 'sum(\(unsigned))'",
          code: CoprocessorError.outOfRangeCode)
      }
      return .int(signed)
    case .float: return value
    case .bytes(let bytes): return .float(Datum.real(prefixOf: bytes))
    default: throw CoprocessorError("sum of \(value)")
    }
  }
}
