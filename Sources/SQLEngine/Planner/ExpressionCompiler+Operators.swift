import Coprocessor
import SQLParser
import TipbProto

extension ExpressionCompiler {
  func unary(_ op: UnaryOperator, _ operand: Expr) async throws -> TypedExpr {
    let value = try await compile(operand)
    switch op {
    case .minus:
      // Fold signed literals, so `-5` is a constant (for ranges and VALUES).
      if let constant = value.constant {
        switch constant {
        case .int(let v) where v != Int64.min: return .constant(.int(-v))
        case .uint(let v) where v <= UInt64(Int64.max) + 1:
          return .constant(.int(v == UInt64(Int64.max) + 1 ? Int64.min : -Int64(v)))
        case .float(let v): return .constant(.float(-v))
        case .null: return value
        default: break
        }
      }
      let number = value.kind == .string ? value.cast(to: .real) : value
      let sig: Tipb_ScalarFuncSig = number.kind == .int ? .unaryMinusInt : .unaryMinusReal
      var type = number.type
      type.unsigned = false
      return TypedExpr(pb: .call(sig, [number.pb]), type: type)
    case .not:
      let condition = value.asCondition
      let sig: Tipb_ScalarFuncSig = condition.kind == .int ? .unaryNotInt : .unaryNotReal
      return Self.boolean(.call(sig, [condition.pb]))
    case .bitNot:
      return TypedExpr(
        pb: .call(.bitNegSig, [value.cast(to: .int).pb]),
        type: FieldType(.longlong, length: 21, unsigned: true))
    }
  }

  func binary(_ op: BinaryOperator, _ left: Expr, _ right: Expr) async throws -> TypedExpr {
    if op.isComparison, case .row(let lefts) = left {
      guard case .row(let rights) = right, rights.count == lefts.count else {
        throw SQLError.operandColumns(lefts.count)
      }
      return try await rowComparison(op, lefts, rights)
    }
    if op.isComparison, case .row(let rights) = right {
      throw SQLError.operandColumns(rights.count)
    }
    if op == .and || op == .or {
      // A long chain (`a OR b OR c ...`, left-deep as parsed) becomes a balanced tree: its
      // depth grows with the logarithm of its length, not the length.
      var operands: [Expr] = []
      Self.flatten(op, .binary(op, left, right), into: &operands)
      var compiled: [TypedExpr] = []
      for operand in operands { compiled.append(try await compile(operand).asCondition) }
      return Self.balanced(op == .and ? .logicalAnd : .logicalOr, compiled[...])
    }
    let a = try await compile(left)
    let b = try await compile(right)
    switch op {
    case .and, .or, .xor:
      let sig: Tipb_ScalarFuncSig = op == .and ? .logicalAnd : op == .or ? .logicalOr : .logicalXor
      return Self.boolean(.call(sig, [a.asCondition.pb, b.asCondition.pb]))
    case .equal, .nullSafeEqual, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
      return compare(op, a, b)
    case .add, .subtract, .multiply:
      let kind: ValueKind = a.kind == .int && b.kind == .int ? .int : .real
      let sig: Tipb_ScalarFuncSig =
        switch (op, kind) {
        case (.add, .int): .plusInt
        case (.subtract, .int): .minusInt
        case (.multiply, .int): .multiplyInt
        case (.add, _): .plusReal
        case (.subtract, _): .minusReal
        default: .multiplyReal
        }
      let type =
        kind == .int
        ? FieldType(.longlong, length: 21, unsigned: a.type.unsigned || b.type.unsigned)
        : FieldType(.double)
      return TypedExpr(pb: .call(sig, [a.cast(to: kind).pb, b.cast(to: kind).pb]), type: type)
    case .divide:
      return TypedExpr(
        pb: .call(.divideReal, [a.cast(to: .real).pb, b.cast(to: .real).pb]),
        type: FieldType(.double))
    case .integerDivide:
      return TypedExpr(
        pb: .call(.intDivideInt, [a.cast(to: .int).pb, b.cast(to: .int).pb]),
        type: FieldType(.longlong, length: 21))
    case .modulo:
      if a.kind == .int && b.kind == .int {
        return TypedExpr(
          pb: .call(.modInt, [a.pb, b.pb]), type: FieldType(.longlong, length: 21))
      }
      return TypedExpr(
        pb: .call(.modReal, [a.cast(to: .real).pb, b.cast(to: .real).pb]),
        type: FieldType(.double))
    case .bitOr, .bitAnd, .bitXor, .shiftLeft, .shiftRight:
      let sig: Tipb_ScalarFuncSig =
        switch op {
        case .bitOr: .bitOrSig
        case .bitAnd: .bitAndSig
        case .bitXor: .bitXorSig
        case .shiftLeft: .leftShift
        default: .rightShift
        }
      return TypedExpr(
        pb: .call(sig, [a.cast(to: .int).pb, b.cast(to: .int).pb]),
        type: FieldType(.longlong, length: 21, unsigned: true))
    }
  }

  /// The operands of a chain of `op` (`a OR b OR c`), in order.
  private static func flatten(_ op: BinaryOperator, _ expr: Expr, into operands: inout [Expr]) {
    if case .binary(op, let left, let right) = expr {
      flatten(op, left, into: &operands)
      flatten(op, right, into: &operands)
    } else {
      operands.append(expr)
    }
  }

  /// `sig` (AND or OR, associative) over `operands` as a balanced tree.
  private static func balanced(
    _ sig: Tipb_ScalarFuncSig, _ operands: ArraySlice<TypedExpr>
  ) -> TypedExpr {
    if operands.count == 1 { return operands.first! }
    let middle = operands.startIndex + operands.count / 2
    let left = balanced(sig, operands[..<middle])
    let right = balanced(sig, operands[middle...])
    return boolean(.call(sig, [left.pb, right.pb]))
  }

  /// `a op b` compared in their common evaluation type.
  func compare(_ op: BinaryOperator, _ a: TypedExpr, _ b: TypedExpr) -> TypedExpr {
    let kind = Self.comparisonKind(a, b)
    let table: [BinaryOperator: (Tipb_ScalarFuncSig, Tipb_ScalarFuncSig, Tipb_ScalarFuncSig)] = [
      .less: (.ltint, .ltreal, .ltstring), .lessOrEqual: (.leint, .lereal, .lestring),
      .greater: (.gtint, .gtreal, .gtstring), .greaterOrEqual: (.geint, .gereal, .gestring),
      .equal: (.eqint, .eqreal, .eqstring), .notEqual: (.neint, .nereal, .nestring),
      .nullSafeEqual: (.nullEqint, .nullEqreal, .nullEqstring),
    ]
    let sigs = table[op]!
    let sig =
      switch kind {
      case .int: sigs.0
      case .real: sigs.1
      case .string: sigs.2
      }
    return Self.boolean(.call(sig, [a.cast(to: kind).pb, b.cast(to: kind).pb]))
  }

  /// `(a1, a2, ...) op (b1, b2, ...)`: equality member by member, order lexicographically.
  private func rowComparison(
    _ op: BinaryOperator, _ lefts: [Expr], _ rights: [Expr]
  ) async throws -> TypedExpr {
    var a: [TypedExpr] = []
    var b: [TypedExpr] = []
    for (l, r) in zip(lefts, rights) {
      a.append(try await compile(l))
      b.append(try await compile(r))
    }
    func all(_ sig: Tipb_ScalarFuncSig, _ parts: [TypedExpr]) -> TypedExpr {
      parts.dropFirst().reduce(parts[0]) { Self.boolean(.call(sig, [$0.pb, $1.pb])) }
    }
    switch op {
    case .equal, .nullSafeEqual:
      return all(.logicalAnd, zip(a, b).map { compare(op, $0, $1) })
    case .notEqual:
      return all(.logicalOr, zip(a, b).map { compare(.notEqual, $0, $1) })
    default:
      // (a1, a2) < (b1, b2) is a1 < b1 OR (a1 = b1 AND a2 < b2); the last member takes the
      // operator as written (<= stays <=), the others the strict form.
      let strict: BinaryOperator =
        op == .lessOrEqual ? .less : op == .greaterOrEqual ? .greater : op
      var result = compare(op, a[a.count - 1], b[b.count - 1])
      for i in stride(from: a.count - 2, through: 0, by: -1) {
        let equal = compare(.equal, a[i], b[i])
        let rest = Self.boolean(.call(.logicalAnd, [equal.pb, result.pb]))
        result = Self.boolean(.call(.logicalOr, [compare(strict, a[i], b[i]).pb, rest.pb]))
      }
      return result
    }
  }

  func like(_ text: Expr, _ pattern: Expr, _ escape: Expr?) async throws -> TypedExpr {
    let value = try await compile(text).cast(to: .string)
    let patternValue = try await compile(pattern).cast(to: .string)
    var escapeScalar: Unicode.Scalar = "\\"
    if let escape {
      guard case .bytes(let bytes)? = try await compile(escape).constant,
        let scalar = String(decoding: bytes, as: UTF8.self).unicodeScalars.first,
        String(decoding: bytes, as: UTF8.self).unicodeScalars.count == 1
      else {
        throw SQLError(code: 1210, sqlState: "HY000", message: "Incorrect arguments to ESCAPE")
      }
      escapeScalar = scalar
    }
    return Self.boolean(.like(value.pb, patternValue.pb, escape: escapeScalar))
  }

  func inList(_ value: Expr, _ list: [Expr]) async throws -> TypedExpr {
    if case .row(let members) = value {
      var alternatives: [TypedExpr] = []
      for item in list {
        guard case .row(let others) = item, others.count == members.count else {
          throw SQLError.operandColumns(members.count)
        }
        alternatives.append(try await binary(.equal, value, .row(others)))
      }
      return alternatives.dropFirst().reduce(alternatives[0]) {
        Self.boolean(.call(.logicalOr, [$0.pb, $1.pb]))
      }
    }
    let x = try await compile(value)
    var items: [TypedExpr] = []
    for item in list { items.append(try await compile(item)) }
    return membership(x, items)
  }

  /// `x IN (items)` in the evaluation type they share.
  func membership(_ x: TypedExpr, _ items: [TypedExpr]) -> TypedExpr {
    guard !items.isEmpty else { return .constant(.int(0)) }
    let kinds = ([x] + items).filter { !$0.isNull }.map(\.kind)
    let common: ValueKind =
      kinds.allSatisfy { $0 == .int } ? .int : kinds.allSatisfy { $0 == .string } ? .string : .real
    let sig: Tipb_ScalarFuncSig =
      switch common {
      case .int: .inInt
      case .real: .inReal
      case .string: .inString
      }
    return Self.boolean(.call(sig, ([x] + items).map { $0.cast(to: common).pb }))
  }
}

extension FieldType {
  /// The plain type of evaluation type `kind`: BIGINT, DOUBLE or VARCHAR.
  static func of(_ kind: ValueKind) -> FieldType {
    switch kind {
    case .int: FieldType(.longlong, length: 21)
    case .real: FieldType(.double)
    case .string: FieldType(.varString)
    }
  }
}
