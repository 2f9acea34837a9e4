/// `CASE [operand] WHEN ... THEN ... [ELSE ...] END`.
public struct CaseExpression: Sendable, Hashable, CustomStringConvertible {
  /// The value compared with each `WHEN` (the simple form), or nil (each `WHEN` is a condition).
  public var operand: Expr?
  /// The `WHEN ... THEN ...` branches, in order; at least one.
  public var branches: [WhenClause]
  /// The `ELSE` result, if any (else NULL).
  public var elseResult: Expr?

  /// A `CASE` expression.
  public init(operand: Expr? = nil, branches: [WhenClause], elseResult: Expr? = nil) {
    self.operand = operand
    self.branches = branches
    self.elseResult = elseResult
  }

  /// The expression as SQL.
  public var description: String {
    var text = "CASE"
    if let operand { text += " \(operand)" }
    for branch in branches { text += " WHEN \(branch.condition) THEN \(branch.result)" }
    if let elseResult { text += " ELSE \(elseResult)" }
    return text + " END"
  }
}

/// One `WHEN condition THEN result` branch of a `CASE`.
public struct WhenClause: Sendable, Hashable {
  /// The condition, or the value compared with the operand in the simple form.
  public var condition: Expr
  /// The branch's result.
  public var result: Expr

  /// A branch.
  public init(condition: Expr, result: Expr) {
    self.condition = condition
    self.result = result
  }
}
