/// Expressions printed as canonical SQL, parenthesised only where precedence needs it.
extension Expr: CustomStringConvertible {
  /// The expression as SQL that parses back to the same tree.
  public var description: String {
    switch self {
    case .literal(let literal): literal.description
    case .column(let column): column.description
    case .parameter: "?"
    case .variable(let variable): variable.description
    case .unary(.not, let operand): "NOT " + operand.sql(atLeast: .not)
    case .unary(let op, let operand):
      // A space keeps `- -1` from reading as a `--` comment marker, by eye at least.
      op.rawValue + (operand.startsWithMinus ? " " : "") + operand.sql(atLeast: .unary)
    case .binary(let op, let left, let right):
      left.sql(atLeast: op.precedence) + " \(op.rawValue) "
        + right.sql(atLeast: op.precedence.tighter)
    case .isNull(let operand, let negated):
      operand.sql(atLeast: .comparison) + (negated ? " IS NOT NULL" : " IS NULL")
    case .isBoolean(let operand, let value, let negated):
      operand.sql(atLeast: .comparison) + (negated ? " IS NOT " : " IS ")
        + (value ? "TRUE" : "FALSE")
    case .like(let operand, let pattern, let escape, let negated):
      operand.predicateOperand + Expr.not(negated) + " LIKE " + pattern.predicateOperand
        + (escape.map { " ESCAPE " + $0.predicateOperand } ?? "")
    case .regexp(let operand, let pattern, let negated):
      operand.predicateOperand + Expr.not(negated) + " REGEXP " + pattern.predicateOperand
    case .between(let operand, let low, let high, let negated):
      operand.predicateOperand + Expr.not(negated) + " BETWEEN " + low.predicateOperand
        + " AND " + high.predicateOperand
    case .inList(let operand, let list, let negated):
      operand.predicateOperand + Expr.not(negated) + " IN ("
        + list.map(\.description).joined(separator: ", ") + ")"
    case .inSubquery(let operand, let query, let negated):
      operand.predicateOperand + Expr.not(negated) + " IN (\(query))"
    case .quantifiedComparison(let op, let operand, let quantifier, let query):
      operand.sql(atLeast: .comparison) + " \(op.rawValue) \(quantifier.rawValue) (\(query))"
    case .exists(let query): "EXISTS (\(query))"
    case .subquery(let query): "(\(query))"
    case .row(let values): "(" + values.map(\.description).joined(separator: ", ") + ")"
    case .function(let call): call.description
    case .aggregate(let call): call.description
    case .caseWhen(let caseExpression): caseExpression.description
    case .cast(let operand, let type): "CAST(\(operand) AS \(type))"
    case .convertUsing(let operand, let charset):
      "CONVERT(\(operand) USING \(Quoting.name(charset)))"
    case .collate(let operand, let collation):
      operand.sql(atLeast: .collate) + " COLLATE " + Quoting.name(collation)
    case .interval(let value, let unit):
      "INTERVAL " + value.sql(atLeast: .primary) + " \(unit.rawValue)"
    case .defaultValue(let column): "DEFAULT" + (column.map { "(\($0))" } ?? "")
    case .values(let column): "VALUES(\(column))"
    }
  }

  /// How tightly the printed expression binds.
  var precedence: Precedence {
    switch self {
    case .unary(.not, _): .not
    case .unary: .unary
    case .binary(let op, _, _): op.precedence
    case .isNull, .isBoolean, .like, .regexp, .between, .inList, .inSubquery,
      .quantifiedComparison:
      .comparison
    case .collate: .collate
    default: .primary
    }
  }

  /// The expression as SQL, in parentheses if it binds more loosely than `precedence`.
  func sql(atLeast precedence: Precedence) -> String {
    self.precedence < precedence ? "(\(self))" : description
  }

  /// The operand of a predicate (`LIKE`, `IN`, `BETWEEN`, ...): MySQL's `bit_expr`.
  private var predicateOperand: String { sql(atLeast: .bitOr) }

  private var startsWithMinus: Bool {
    switch self {
    case .unary(.minus, _): true
    case .literal(.integer(let value)): value < 0
    default: false
    }
  }

  private static func not(_ negated: Bool) -> String { negated ? " NOT" : "" }
}
