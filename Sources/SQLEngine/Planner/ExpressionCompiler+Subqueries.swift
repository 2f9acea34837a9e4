import Coprocessor
import SQLParser
import TipbProto

extension ExpressionCompiler {
  /// `(SELECT ...)` as a value: its one column of its one row, NULL for no row.
  func scalarSubquery(_ query: Query) async throws -> TypedExpr {
    let (rows, width) = try await session.runSubquery(query, outer: scopes)
    guard width == 1 else { throw SQLError.operandColumns(1) }
    guard rows.count <= 1 else { throw SQLError.subqueryMoreThanOneRow }
    return .constant(rows.first?[0] ?? .null)
  }

  /// `x IN (SELECT ...)`: the subquery's rows as a list of constants.
  func inSubquery(_ value: Expr, _ query: Query) async throws -> TypedExpr {
    let (rows, width) = try await session.runSubquery(query, outer: scopes)
    if case .row(let members) = value {
      guard members.count == width else { throw SQLError.operandColumns(members.count) }
      return try await inList(value, rows.map { .row($0.map(Self.literal)) })
    }
    guard width == 1 else { throw SQLError.operandColumns(1) }
    let x = try await compile(value)
    return membership(x, rows.map { TypedExpr.constant($0[0]) })
  }

  /// `x op ANY (SELECT ...)` (some row compares true) or `ALL` (every row does).
  func quantified(
    _ op: BinaryOperator, _ value: Expr, _ quantifier: Quantifier, _ query: Query
  ) async throws -> TypedExpr {
    let (rows, width) = try await session.runSubquery(query, outer: scopes)
    guard width == 1 else { throw SQLError.operandColumns(1) }
    let x = try await compile(value)
    let comparisons = rows.map { compare(op, x, .constant($0[0])) }
    guard let first = comparisons.first else { return .constant(.int(quantifier == .all ? 1 : 0)) }
    let sig: Tipb_ScalarFuncSig = quantifier == .all ? .logicalAnd : .logicalOr
    return comparisons.dropFirst().reduce(first) { Self.boolean(.call(sig, [$0.pb, $1.pb])) }
  }

  /// A value as a literal expression (to splice subquery results into a row comparison).
  static func literal(_ datum: Datum) -> Expr {
    switch datum {
    case .null, .minNotNull, .maxValue: .literal(.null)
    case .int(let v):
      v < 0
        ? .unary(.minus, .literal(.integer(v == Int64.min ? Int64.max : -v)))
        : .literal(.integer(v))
    case .uint(let v): .literal(.unsignedInteger(v))
    case .float(let v): .literal(.float(String(v)))
    case .bytes(let v): .literal(.string(v, charset: nil))
    }
  }
}
