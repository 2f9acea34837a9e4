extension Expression {
  /// `&`, `|`, `^`, `~`, `<<` and `>>` as MySQL computes them: on 64-bit unsigned integers,
  /// each operand cast as `CAST(x AS UNSIGNED)` (-1 is 2^64 - 1, a real rounds, a string takes
  /// its integer prefix); a shift by 64 or more gives 0. NULL in, NULL out.
  static func bitwise(
    _ operation: ScalarFunction.Bitwise, _ values: [Datum]
  ) throws(CoprocessorError) -> Datum {
    var operands: [UInt64] = []
    for value in values {
      guard case .uint(let operand) = try value.castInt(unsigned: true) else { return .null }
      operands.append(operand)
    }
    let result =
      switch operation {
      case .not: ~operands[0]
      case .and: operands[0] & operands[1]
      case .or: operands[0] | operands[1]
      case .xor: operands[0] ^ operands[1]
      // Swift's shifts give 0 past the width, as MySQL's do.
      case .leftShift: operands[0] << operands[1]
      case .rightShift: operands[0] >> operands[1]
      }
    return .uint(result)
  }
}
