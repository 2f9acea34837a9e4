import Coprocessor
import Foundation
import SQLParser
import TipbProto

extension ExpressionCompiler {
  func function(_ call: FunctionCall) async throws -> TypedExpr {
    if let value = try sessionFunction(call) { return .constant(value) }
    var arguments: [TypedExpr] = []
    for argument in call.arguments { arguments.append(try await compile(argument)) }
    func expect(_ counts: ClosedRange<Int>) throws(SQLError) {
      guard counts.contains(arguments.count) else {
        throw SQLError(
          code: 1582, sqlState: "42000",
          message: "Incorrect parameter count in the call to native function '\(call.name)'")
      }
    }
    func text(_ i: Int) -> Tipb_Expr { arguments[i].cast(to: .string).pb }
    func integer(_ i: Int) -> Tipb_Expr { arguments[i].cast(to: .int).pb }
    let string = FieldType(.varString)
    let bigint = FieldType(.longlong, length: 21)
    switch call.name {
    case "if":
      try expect(3...3)
      let results = Array(arguments[1...2])
      let kind = Self.resultKind(results)
      let sig: Tipb_ScalarFuncSig = kind == .int ? .ifInt : kind == .real ? .ifReal : .ifString
      return TypedExpr(
        pb: .call(sig, [arguments[0].asCondition.pb] + results.map { $0.cast(to: kind).pb }),
        type: Self.resultType(kind, results))
    case "ifnull":
      try expect(2...2)
      let kind = Self.resultKind(arguments)
      let sig: Tipb_ScalarFuncSig =
        kind == .int ? .ifNullInt : kind == .real ? .ifNullReal : .ifNullString
      return TypedExpr(
        pb: .call(sig, arguments.map { $0.cast(to: kind).pb }),
        type: Self.resultType(kind, arguments))
    case "nullif":
      try expect(2...2)
      let kind = arguments[0].kind
      let sig: Tipb_ScalarFuncSig = kind == .int ? .ifInt : kind == .real ? .ifReal : .ifString
      let equal = compare(.equal, arguments[0], arguments[1])
      return TypedExpr(
        pb: .call(sig, [equal.pb, .constant(.null), arguments[0].pb]), type: arguments[0].type)
    case "isnull":
      try expect(1...1)
      return isNull(arguments[0])
    case "coalesce":
      try expect(1...Int.max)
      let kind = Self.resultKind(arguments)
      return TypedExpr(
        pb: .coalesce(kind, arguments.map { $0.cast(to: kind).pb }),
        type: Self.resultType(kind, arguments))
    case "greatest", "least":
      try expect(2...Int.max)
      let kinds = arguments.filter { !$0.isNull }.map(\.kind)
      let kind: ValueKind =
        kinds.allSatisfy { $0 == .int }
        ? .int : kinds.allSatisfy { $0 == .string } ? .string : .real
      let children = arguments.map { $0.cast(to: kind).pb }
      return TypedExpr(
        pb: call.name == "greatest" ? .greatest(kind, children) : .least(kind, children),
        type: Self.resultType(kind, arguments))
    case "length", "octet_length":
      try expect(1...1)
      return TypedExpr(pb: .call(.length, [text(0)]), type: bigint)
    case "char_length", "character_length":
      try expect(1...1)
      return TypedExpr(pb: .call(.charLengthUtf8, [text(0)]), type: bigint)
    case "strcmp":
      try expect(2...2)
      return TypedExpr(
        pb: .call(.strcmp, [text(0), text(1)]), type: FieldType(.longlong, length: 2))
    case "concat":
      try expect(1...Int.max)
      return TypedExpr(pb: .call(.concat, arguments.indices.map(text)), type: string)
    case "concat_ws":
      try expect(2...Int.max)
      return TypedExpr(pb: .call(.concatWs, arguments.indices.map(text)), type: string)
    case "upper", "ucase":
      try expect(1...1)
      return TypedExpr(pb: .call(.upperUtf8, [text(0)]), type: string)
    case "lower", "lcase":
      try expect(1...1)
      return TypedExpr(pb: .call(.lower, [text(0)]), type: string)
    case "left", "right":
      try expect(2...2)
      return TypedExpr(
        pb: .call(call.name == "left" ? .leftUtf8 : .rightUtf8, [text(0), integer(1)]), type: string
      )
    case "substring", "substr", "mid":
      try expect(2...3)
      if arguments.count == 2 {
        return TypedExpr(pb: .call(.substring2ArgsUtf8, [text(0), integer(1)]), type: string)
      }
      return TypedExpr(
        pb: .call(.substring3ArgsUtf8, [text(0), integer(1), integer(2)]), type: string)
    case "trim":
      try expect(1...3)
      if arguments.count == 1 { return TypedExpr(pb: .call(.trim1Arg, [text(0)]), type: string) }
      if arguments.count == 2 {
        return TypedExpr(pb: .call(.trim2Args, [text(0), text(1)]), type: string)
      }
      return TypedExpr(pb: .call(.trim3Args, [text(0), text(1), integer(2)]), type: string)
    case "ltrim", "rtrim":
      try expect(1...1)
      return TypedExpr(pb: .call(call.name == "ltrim" ? .ltrim : .rtrim, [text(0)]), type: string)
    case "replace":
      try expect(3...3)
      return TypedExpr(pb: .call(.replace, [text(0), text(1), text(2)]), type: string)
    case "reverse":
      try expect(1...1)
      return TypedExpr(pb: .call(.reverseUtf8, [text(0)]), type: string)
    case "locate", "position":
      try expect(2...3)
      if arguments.count == 2 {
        return TypedExpr(pb: .call(.locate2ArgsUtf8, [text(0), text(1)]), type: bigint)
      }
      return TypedExpr(
        pb: .call(.locate3ArgsUtf8, [text(0), text(1), integer(2)]), type: bigint)
    case "instr":
      try expect(2...2)
      return TypedExpr(pb: .call(.instrUtf8, [text(0), text(1)]), type: bigint)
    case "abs":
      try expect(1...1)
      let value = arguments[0].kind == .string ? arguments[0].cast(to: .real) : arguments[0]
      let sig: Tipb_ScalarFuncSig =
        value.kind == .real ? .absReal : value.type.unsigned ? .absUint : .absInt
      return TypedExpr(pb: .call(sig, [value.pb]), type: value.type)
    case "ceil", "ceiling", "floor":
      try expect(1...1)
      let value = arguments[0].kind == .string ? arguments[0].cast(to: .real) : arguments[0]
      let ceil = call.name != "floor"
      if value.kind == .int {
        return TypedExpr(
          pb: .call(ceil ? .ceilIntToInt : .floorIntToInt, [value.pb]), type: value.type)
      }
      return TypedExpr(
        pb: .call(ceil ? .ceilReal : .floorReal, [value.pb]), type: FieldType(.double))
    case "round":
      try expect(1...2)
      let value = arguments[0].kind == .string ? arguments[0].cast(to: .real) : arguments[0]
      if arguments.count == 2 {
        let sig: Tipb_ScalarFuncSig = value.kind == .int ? .roundWithFracInt : .roundWithFracReal
        return TypedExpr(pb: .call(sig, [value.pb, integer(1)]), type: value.type)
      }
      return TypedExpr(
        pb: .call(value.kind == .int ? .roundInt : .roundReal, [value.pb]), type: value.type)
    case "repeat":
      try expect(2...2)
      return TypedExpr(pb: .call(.repeat, [text(0), integer(1)]), type: string)
    case "hex":
      try expect(1...1)
      let sig: Tipb_ScalarFuncSig = arguments[0].kind == .int ? .hexIntArg : .hexStrArg
      let argument = arguments[0].kind == .real ? integer(0) : arguments[0].pb
      return TypedExpr(pb: .call(sig, [argument]), type: string)
    case "lpad", "rpad":
      try expect(3...3)
      let sig: Tipb_ScalarFuncSig = call.name == "lpad" ? .lpadUtf8 : .rpadUtf8
      return TypedExpr(pb: .call(sig, [text(0), integer(1), text(2)]), type: string)
    case "sign":
      try expect(1...1)
      return TypedExpr(
        pb: .call(.sign, [arguments[0].cast(to: .real).pb]), type: FieldType(.longlong, length: 2))
    case "pow", "power":
      try expect(2...2)
      return TypedExpr(
        pb: .call(.pow, [arguments[0].cast(to: .real).pb, arguments[1].cast(to: .real).pb]),
        type: FieldType(.double))
    case "mod":
      try expect(2...2)
      return try await binary(.modulo, call.arguments[0], call.arguments[1])
    default:
      throw SQLError(
        code: 1305, sqlState: "42000", message: "FUNCTION \(call.name) does not exist")
    }
  }

  /// Functions answered from the session, without evaluating anything per row.
  private func sessionFunction(_ call: FunctionCall) throws(SQLError) -> Datum? {
    func text(_ value: String) -> Datum { .bytes(Array(value.utf8)) }
    switch call.name {
    case "database", "schema": return session.currentDatabase.map(text) ?? .null
    case "user", "current_user", "session_user", "system_user":
      return text("\(session.user)@%")
    case "version": return text(session.systemVariable("version") ?? "")
    case "connection_id": return .uint(UInt64(session.connectionID))
    case "last_insert_id" where call.arguments.isEmpty: return .uint(session.lastInsertID)
    case "now", "current_timestamp", "sysdate", "localtime", "localtimestamp":
      return text(WallClock.timestampText())
    case "curdate", "current_date": return text(String(WallClock.timestampText().prefix(10)))
    case "pi": return .float(Double.pi)
    default: return nil
    }
  }

  func caseWhen(_ expression: CaseExpression) async throws -> TypedExpr {
    var results: [TypedExpr] = []
    var conditions: [TypedExpr] = []
    let operand = try await expression.operand.asyncMap { try await compile($0) }
    for branch in expression.branches {
      let when = try await compile(branch.condition)
      conditions.append(operand.map { compare(.equal, $0, when) } ?? when.asCondition)
      results.append(try await compile(branch.result))
    }
    let otherwise = try await expression.elseResult.asyncMap { try await compile($0) }
    let kind = Self.resultKind(results + (otherwise.map { [$0] } ?? []))
    let pb = Tipb_Expr.caseWhen(
      kind, zip(conditions, results).map { ($0.pb, $1.cast(to: kind).pb) },
      else: otherwise?.cast(to: kind).pb)
    return TypedExpr(pb: pb, type: Self.resultType(kind, results + (otherwise.map { [$0] } ?? [])))
  }

  func cast(_ operand: Expr, _ type: CastType) async throws -> TypedExpr {
    let value = try await compile(operand)
    switch type {
    case .signed: return value.castInteger(unsigned: false)
    case .unsigned: return value.castInteger(unsigned: true)
    case .double, .float, .decimal: return value.cast(to: .real)
    case .char: return value.cast(to: .string)
    case .binary:
      var result = value.cast(to: .string)
      result.type.binary = true
      return result
    case .date, .dateTime, .time, .json:
      throw SQLError.unsupported("CAST AS \(type)")
    }
  }
}

extension Optional {
  /// `map` with an asynchronous transform.
  func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
    guard let value = self else { return nil }
    return try await transform(value)
  }
}
