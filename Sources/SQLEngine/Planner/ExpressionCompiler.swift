import Coprocessor
import SQLParser
import TipbProto

/// What expressions read from their session: the current database, variables, the bound
/// parameters of a prepared statement, and subqueries run on demand.
protocol CompileSession: AnyObject {
  var currentDatabase: String? { get }
  /// The value of system variable `name`; nil if there is none.
  func systemVariable(_ name: String) -> String?
  /// The value of user variable `@name` (NULL when unset).
  func userVariable(_ name: String) -> Datum
  /// The value of placeholder `index` of the statement being run.
  func parameter(_ index: Int) throws(SQLError) -> Datum
  var lastInsertID: UInt64 { get }
  var connectionID: UInt32 { get }
  var user: String { get }
  /// Runs `query` with the columns of `outer` scopes resolvable (bound to their rows).
  /// - Returns: the rows and how many columns they have.
  func runSubquery(_ query: Query, outer: [CompileScope]) async throws -> (rows: [Row], width: Int)
}

/// Names resolvable in an expression: the current plan's columns, and outer queries' columns
/// (bound to one row each while a correlated subquery runs for that row).
struct CompileScope {
  var schema: PlanSchema
  /// The outer row, once bound; nil while the outer query is being planned.
  var row: Row?
}

/// Compiles AST expressions to typed tipb trees over one plan node's rows (TiDB's expression
/// rewriter): resolves names, folds session values into constants, picks each function's
/// signature from its arguments' evaluation types with MySQL's conversions, and runs
/// uncorrelated subqueries into constants.
struct ExpressionCompiler {
  /// Scope 0 is the rows the expression reads; later ones are outer queries'.
  var scopes: [CompileScope]
  /// Expressions already computed by the plan (aggregates, GROUP BY items): their columns.
  var replacements: [Expr: Int] = [:]
  let session: any CompileSession
  /// The clause for messages: `field list`, `where clause`, `order clause`, ...
  var clause: String

  init(schema: PlanSchema, outer: [CompileScope] = [], session: any CompileSession, clause: String)
  {
    scopes = [CompileScope(schema: schema, row: nil)] + outer
    self.session = session
    self.clause = clause
  }

  var schema: PlanSchema { scopes[0].schema }

  /// `expr` compiled. - Throws: `SQLError` (`SQLError.correlatedReference` when a subquery
  ///   needs an outer row that is not bound yet).
  func compile(_ expr: Expr) async throws -> TypedExpr {
    if let offset = replacements[expr] {
      return .column(offset, schema.columns[offset].type)
    }
    switch expr {
    case .literal(let literal): return .constant(Self.datum(literal))
    case .column(let name): return try resolve(name)
    case .parameter(let index): return .constant(try session.parameter(index))
    case .variable(let variable): return try self.variable(variable)
    case .unary(let op, let operand): return try await unary(op, operand)
    case .binary(let op, let left, let right): return try await binary(op, left, right)
    case .isNull(let operand, let negated):
      let value = try await compile(operand)
      return negate(isNull(value), negated)
    case .isBoolean(let operand, let truth, let negated):
      let value = try await compile(operand).asCondition
      let sig: Tipb_ScalarFuncSig =
        switch (value.kind, truth) {
        case (.int, true): .intIsTrue
        case (.int, false): .intIsFalse
        case (_, true): .realIsTrue
        case (_, false): .realIsFalse
        }
      return negate(Self.boolean(.call(sig, [value.pb])), negated)
    case .like(let text, let pattern, let escape, let negated):
      return negate(try await like(text, pattern, escape), negated)
    case .regexp:
      throw SQLError.unsupported("REGEXP")
    case .between(let value, let low, let high, let negated):
      let x = try await compile(value)
      let ge = compare(.greaterOrEqual, x, try await compile(low))
      let le = compare(.lessOrEqual, x, try await compile(high))
      return negate(Self.boolean(.call(.logicalAnd, [ge.pb, le.pb])), negated)
    case .inList(let value, let list, let negated):
      return negate(try await inList(value, list), negated)
    case .inSubquery(let value, let query, let negated):
      return negate(try await inSubquery(value, query), negated)
    case .quantifiedComparison(let op, let value, let quantifier, let query):
      return try await quantified(op, value, quantifier, query)
    case .exists(let query):
      let (rows, _) = try await session.runSubquery(query, outer: scopes)
      return .constant(.int(rows.isEmpty ? 0 : 1))
    case .subquery(let query):
      return try await scalarSubquery(query)
    case .row(let values):
      throw SQLError.operandColumns(1) + "(a row of \(values.count))"
    case .function(let call):
      return try await function(call)
    case .aggregate:
      throw SQLError.invalidGroupFunction
    case .caseWhen(let caseExpression):
      return try await caseWhen(caseExpression)
    case .cast(let operand, let type):
      return try await cast(operand, type)
    case .convertUsing(let operand, _):
      return try await compile(operand).cast(to: .string)
    case .collate(let operand, _):
      return try await compile(operand)
    case .interval:
      throw SQLError.unsupported("date and time arithmetic")
    case .defaultValue:
      throw SQLError.unsupported("DEFAULT outside VALUES and SET")
    case .values:
      return .constant(.null)
    }
  }

  // MARK: Names

  private func resolve(_ name: ColumnName) throws(SQLError) -> TypedExpr {
    for (depth, scope) in scopes.enumerated() {
      guard let offset = try scope.schema.resolve(name, clause: clause) else { continue }
      if depth == 0 { return .column(offset, scope.schema.columns[offset].type) }
      guard let row = scope.row else { throw SQLError.correlatedReference }
      var constant = TypedExpr.constant(row[offset])
      constant.type = scope.schema.columns[offset].type
      return constant
    }
    throw SQLError.unknownColumn(
      name.description.replacingOccurrences(of: "`", with: ""), in: clause)
  }

  private func variable(_ variable: Variable) throws(SQLError) -> TypedExpr {
    switch variable {
    case .user(let name):
      return .constant(session.userVariable(name))
    case .system(let name, _):
      guard let value = session.systemVariable(name) else { throw SQLError.unknownVariable(name) }
      switch value {
      case "ON": return .constant(.int(1))
      case "OFF": return .constant(.int(0))
      default:
        if let number = Int64(value) { return .constant(.int(number)) }
        return .constant(.bytes(Array(value.utf8)))
      }
    }
  }

  // MARK: Literals

  /// A literal's value (decimals as doubles: this server has no DECIMAL).
  static func datum(_ literal: Literal) -> Datum {
    switch literal {
    case .null: .null
    case .boolean(let value): .int(value ? 1 : 0)
    case .integer(let value): .int(value)
    case .unsignedInteger(let value): .uint(value)
    case .decimal, .float: .float(literal.doubleValue ?? 0)
    case .string(let bytes, _): .bytes(bytes)
    case .hex(let bytes), .bit(let bytes): .bytes(bytes)
    case .temporal(_, let text): .bytes(Array(text.utf8))
    }
  }

  // MARK: Helpers

  /// A boolean-valued tipb tree typed as MySQL's booleans (BIGINT 0/1/NULL).
  static func boolean(_ pb: Tipb_Expr) -> TypedExpr {
    TypedExpr(pb: pb, type: FieldType(.longlong, length: 1))
  }

  func negate(_ value: TypedExpr, _ negated: Bool) -> TypedExpr {
    negated ? Self.boolean(.call(.unaryNotInt, [value.asCondition.cast(to: .int).pb])) : value
  }

  func isNull(_ value: TypedExpr) -> TypedExpr {
    let sig: Tipb_ScalarFuncSig =
      switch value.kind {
      case .int: .intIsNull
      case .real: .realIsNull
      case .string: .stringIsNull
      }
    return Self.boolean(.call(sig, [value.pb]))
  }

  /// The evaluation type two operands are compared in: int for two ints, string for two
  /// strings, real otherwise (MySQL's rule, without DECIMAL); NULL takes the other's.
  static func comparisonKind(_ a: TypedExpr, _ b: TypedExpr) -> ValueKind {
    if a.isNull { return b.kind }
    if b.isNull { return a.kind }
    if a.kind == b.kind { return a.kind }
    return .real
  }

  /// The evaluation type several results share (CASE, IF, COALESCE): string if any is a
  /// string, else real if any is a real, else int; NULLs do not count.
  static func resultKind(_ values: [TypedExpr]) -> ValueKind {
    let kinds = values.filter { !$0.isNull }.map(\.kind)
    if kinds.contains(.string) { return .string }
    if kinds.contains(.real) { return .real }
    return .int
  }

  /// The type of a result of `kind` drawn from `values`: their common type when they all have
  /// the same one.
  static func resultType(_ kind: ValueKind, _ values: [TypedExpr]) -> FieldType {
    let types = values.filter { !$0.isNull }.map(\.type)
    if let first = types.first, types.allSatisfy({ $0 == first }), first.kind == kind {
      return first
    }
    return switch kind {
    case .int: FieldType(.longlong, length: 21)
    case .real: FieldType(.double)
    case .string: FieldType(.varString)
    }
  }
}

extension SQLError {
  /// Not an answer to a client: a subquery referred to a column of an outer query that is not
  /// bound yet, so the outer query evaluates the expression row by row instead (the planner's
  /// `MapExecutor` paths catch it).
  static let correlatedReference = SQLError(
    code: 0, sqlState: "CORRL", message: "a correlated reference to an unbound outer row")

  /// Whether this is `correlatedReference`.
  var isCorrelatedReference: Bool { self == .correlatedReference }

  static func + (error: SQLError, detail: String) -> SQLError {
    var error = error
    error.message += " " + detail
    return error
  }
}
