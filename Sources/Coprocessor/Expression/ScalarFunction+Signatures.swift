import TipbProto

extension ScalarFunction {
  /// The function of `sig`, nil for one this store does not evaluate. `fieldType` is the
  /// call's result type (`Expr.field_type`): a cast to an integer with the unsigned flag is
  /// `CAST(x AS UNSIGNED)`.
  init?(_ sig: Tipb_ScalarFuncSig, fieldType: Tipb_FieldType) {
    guard let function = Self.signatures[sig] else { return nil }
    if case .cast(.int, _) = function, fieldType.flag & UInt32(MySQLType.unsignedFlag) != 0 {
      self = .cast(to: .int, unsigned: true)
    } else {
      self = function
    }
  }

  /// Every signature this store evaluates, with its function.
  private static let signatures: [Tipb_ScalarFuncSig: ScalarFunction] = {
    var table: [Tipb_ScalarFuncSig: ScalarFunction] = [:]
    func map(_ function: ScalarFunction, _ sigs: Tipb_ScalarFuncSig...) {
      for sig in sigs { table[sig] = function }
    }
    map(.compare(.lt, .int), .ltint)
    map(.compare(.lt, .real), .ltreal)
    map(.compare(.lt, .string), .ltstring)
    map(.compare(.le, .int), .leint)
    map(.compare(.le, .real), .lereal)
    map(.compare(.le, .string), .lestring)
    map(.compare(.gt, .int), .gtint)
    map(.compare(.gt, .real), .gtreal)
    map(.compare(.gt, .string), .gtstring)
    map(.compare(.ge, .int), .geint)
    map(.compare(.ge, .real), .gereal)
    map(.compare(.ge, .string), .gestring)
    map(.compare(.eq, .int), .eqint)
    map(.compare(.eq, .real), .eqreal)
    map(.compare(.eq, .string), .eqstring)
    map(.compare(.ne, .int), .neint)
    map(.compare(.ne, .real), .nereal)
    map(.compare(.ne, .string), .nestring)
    map(.compare(.nullSafeEq, .int), .nullEqint)
    map(.compare(.nullSafeEq, .real), .nullEqreal)
    map(.compare(.nullSafeEq, .string), .nullEqstring)

    map(
      .arithmetic(.plus), .plusInt, .plusReal, .plusIntUnsignedUnsigned, .plusIntUnsignedSigned,
      .plusIntSignedUnsigned, .plusIntSignedSigned)
    map(.arithmetic(.minus), .minusInt, .minusReal)
    map(.arithmetic(.multiply), .multiplyInt, .multiplyReal, .multiplyIntUnsigned)
    map(.arithmetic(.divide), .divideReal)
    map(.arithmetic(.intDivide), .intDivideInt)
    map(.arithmetic(.modulo), .modInt, .modReal)
    map(.negate, .unaryMinusInt, .unaryMinusReal)

    map(.and, .logicalAnd)
    map(.or, .logicalOr)
    map(.xor, .logicalXor)
    map(.not, .unaryNotInt, .unaryNotReal)
    map(.isNull, .intIsNull, .realIsNull, .stringIsNull)
    map(.isTrue, .intIsTrue, .realIsTrue)
    map(.isFalse, .intIsFalse, .realIsFalse)
    map(.isIn(.int), .inInt)
    map(.isIn(.real), .inReal)
    map(.isIn(.string), .inString)
    map(.greatest(.int), .greatestInt)
    map(.greatest(.real), .greatestReal)
    map(.greatest(.string), .greatestString)
    map(.least(.int), .leastInt)
    map(.least(.real), .leastReal)
    map(.least(.string), .leastString)

    map(.ifNull, .ifNullInt, .ifNullReal, .ifNullString)
    map(.if, .ifInt, .ifReal, .ifString)
    map(.caseWhen, .caseWhenInt, .caseWhenReal, .caseWhenString)
    map(.coalesce, .coalesceInt, .coalesceReal, .coalesceString)

    map(.cast(to: .int, unsigned: false), .castIntAsInt, .castRealAsInt, .castStringAsInt)
    map(.cast(to: .real, unsigned: false), .castIntAsReal, .castRealAsReal, .castStringAsReal)
    map(
      .cast(to: .string, unsigned: false), .castIntAsString, .castRealAsString,
      .castStringAsString)

    map(.like, .likeSig)

    map(.string(.length), .length)
    map(.string(.charLength(.bytes)), .charLength)
    map(.string(.charLength(.characters)), .charLengthUtf8)
    map(.string(.strcmp), .strcmp)
    map(.string(.concat), .concat)
    map(.string(.concatWS), .concatWs)
    map(.string(.upper), .upper, .upperUtf8)
    map(.string(.lower), .lower)
    map(.string(.left(.bytes)), .left)
    map(.string(.left(.characters)), .leftUtf8)
    map(.string(.right(.bytes)), .right)
    map(.string(.right(.characters)), .rightUtf8)
    map(.string(.substring(.bytes)), .substring2Args, .substring3Args)
    map(.string(.substring(.characters)), .substring2ArgsUtf8, .substring3ArgsUtf8)
    map(.string(.locate(.bytes)), .locate2Args, .locate3Args)
    map(.string(.locate(.characters)), .locate2ArgsUtf8, .locate3ArgsUtf8)
    map(.string(.instr(.bytes)), .instr)
    map(.string(.instr(.characters)), .instrUtf8)
    map(.string(.reverse(.bytes)), .reverse)
    map(.string(.reverse(.characters)), .reverseUtf8)
    map(.string(.trim), .trim1Arg, .trim2Args, .trim3Args)
    map(.string(.ltrim), .ltrim)
    map(.string(.rtrim), .rtrim)
    map(.string(.replace), .replace)
    map(.string(.repeat), .repeat)
    map(.string(.hex), .hexStrArg, .hexIntArg)
    map(.string(.pad(leading: true, .bytes)), .lpad)
    map(.string(.pad(leading: true, .characters)), .lpadUtf8)
    map(.string(.pad(leading: false, .bytes)), .rpad)
    map(.string(.pad(leading: false, .characters)), .rpadUtf8)

    map(.math(.abs), .absInt, .absUint, .absReal)
    map(.math(.ceil), .ceilIntToInt, .ceilReal)
    map(.math(.floor), .floorIntToInt, .floorReal)
    map(.math(.round), .roundInt, .roundReal, .roundWithFracInt, .roundWithFracReal)
    map(.math(.sign), .sign)
    map(.math(.pow), .pow)

    map(.bitwise(.and), .bitAndSig)
    map(.bitwise(.or), .bitOrSig)
    map(.bitwise(.xor), .bitXorSig)
    map(.bitwise(.not), .bitNegSig)
    map(.bitwise(.leftShift), .leftShift)
    map(.bitwise(.rightShift), .rightShift)
    return table
  }()
}
