/// Expressions by precedence climbing, following the shape of MySQL's grammar: logical
/// operators over comparisons, comparisons over predicates (`IN`, `LIKE`, `BETWEEN`, ...),
/// predicates over bit and arithmetic operators, those over prefix operators and primaries.
extension Parser {
  /// A whole expression.
  mutating func parseExpression() throws(ParseError) -> Expr {
    try descend()
    defer { ascend() }
    return try parseLogical(above: .or)
  }

  /// `a, b, ...`.
  mutating func parseExpressionList() throws(ParseError) -> [Expr] {
    var list = [try parseExpression()]
    while accept(.comma) { list.append(try parseExpression()) }
    return list
  }

  /// Operators binding at least as tightly as `minimum`, from `OR` down to `NOT`.
  private mutating func parseLogical(above minimum: Precedence) throws(ParseError) -> Expr {
    var left: Expr
    if minimum <= .not && isKeyword(.not) {
      advance()
      try descend()
      defer { ascend() }
      left = .unary(.not, try parseLogical(above: .not))
    } else {
      left = try parseComparison()
    }
    while let op = logicalOperator, op.precedence >= minimum {
      advance()
      left = .binary(op, left, try parseLogical(above: op.precedence.tighter))
    }
    return left
  }

  private var logicalOperator: BinaryOperator? {
    switch current.kind {
    case .symbol(.doublePipe): .or
    case .symbol(.doubleAmpersand): .and
    default:
      switch current.keyword {
      case .or?: .or
      case .xor?: .xor
      case .and?: .and
      default: nil
      }
    }
  }

  /// Comparisons, left to right: `a = b`, `a <=> ANY (SELECT ...)`, `a IS [NOT] NULL`.
  private mutating func parseComparison() throws(ParseError) -> Expr {
    var left = try parsePredicate()
    while true {
      if let op = comparisonOperator {
        advance()
        if let quantifier = quantifier, peek(1).kind == .symbol(.leftParen) {
          advance()
          guard case .query(let query) = try parseParenthesizedContents() else {
            throw unexpected()
          }
          left = .quantifiedComparison(op, left, quantifier, query)
        } else {
          left = .binary(op, left, try parsePredicate())
        }
      } else if accept(.is) {
        let negated = accept(.not)
        if accept(.null) || accept(.unknown) {
          left = .isNull(left, negated: negated)
        } else if accept(.true) {
          left = .isBoolean(left, true, negated: negated)
        } else if accept(.false) {
          left = .isBoolean(left, false, negated: negated)
        } else {
          throw unexpected()
        }
      } else {
        return left
      }
    }
  }

  private var comparisonOperator: BinaryOperator? {
    switch current.kind {
    case .symbol(.equal): .equal
    case .symbol(.nullSafeEqual): .nullSafeEqual
    case .symbol(.notEqual), .symbol(.notEqualAngle): .notEqual
    case .symbol(.less): .less
    case .symbol(.lessOrEqual): .lessOrEqual
    case .symbol(.greater): .greater
    case .symbol(.greaterOrEqual): .greaterOrEqual
    default: nil
    }
  }

  private var quantifier: Quantifier? {
    switch current.keyword {
    case .any?, .some?: .any
    case .all?: .all
    default: nil
    }
  }

  /// A bit expression, then at most one `[NOT] IN`, `[NOT] LIKE`, `[NOT] BETWEEN` or
  /// `[NOT] REGEXP`.
  private mutating func parsePredicate() throws(ParseError) -> Expr {
    let operand = try parseBitExpression()
    let predicates: Set<Keyword> = [.in, .like, .between, .regexp, .rlike]
    let negated = isKeyword(.not) && peek(1).keyword.map(predicates.contains) == true
    if negated { advance() }
    switch current.keyword {
    case .in?:
      advance()
      guard isSymbol(.leftParen) else { throw unexpected() }
      switch try parseParenthesizedContents() {
      case .query(let query): return .inSubquery(operand, query, negated: negated)
      case .expressions(let list): return .inList(operand, list, negated: negated)
      }
    case .like?:
      advance()
      let pattern = try parseBitExpression()
      let escape = accept(.escape) ? try parseBitExpression() : nil
      return .like(operand, pattern: pattern, escape: escape, negated: negated)
    case .between?:
      advance()
      let low = try parseBitExpression()
      try expect(.and)
      return .between(operand, low: low, high: try parseBitExpression(), negated: negated)
    case .regexp?, .rlike?:
      advance()
      return .regexp(operand, pattern: try parseBitExpression(), negated: negated)
    default:
      return operand
    }
  }

  /// MySQL's `bit_expr`: the bitwise and arithmetic operators.
  mutating func parseBitExpression() throws(ParseError) -> Expr {
    try parseArithmetic(above: .bitOr)
  }

  private mutating func parseArithmetic(above minimum: Precedence) throws(ParseError) -> Expr {
    var left = try parseUnary()
    while let op = arithmeticOperator, op.precedence >= minimum {
      advance()
      left = .binary(op, left, try parseArithmetic(above: op.precedence.tighter))
    }
    return left
  }

  private var arithmeticOperator: BinaryOperator? {
    switch current.kind {
    case .symbol(.pipe): .bitOr
    case .symbol(.ampersand): .bitAnd
    case .symbol(.shiftLeft): .shiftLeft
    case .symbol(.shiftRight): .shiftRight
    case .symbol(.plus): .add
    case .symbol(.minus): .subtract
    case .symbol(.star): .multiply
    case .symbol(.slash): .divide
    case .symbol(.percent): .modulo
    case .symbol(.caret): .bitXor
    default:
      switch current.keyword {
      case .div?: .integerDivide
      case .mod?: .modulo
      default: nil
      }
    }
  }

  /// Prefix `-`, `+`, `~`, `!` and `BINARY`, then a primary with any `COLLATE`.
  private mutating func parseUnary() throws(ParseError) -> Expr {
    let op: UnaryOperator?
    switch current.kind {
    case .symbol(.minus): op = .minus
    case .symbol(.tilde): op = .bitNot
    case .symbol(.exclamation): op = .not
    case .symbol(.plus): op = nil
    default:
      guard isKeyword(.binary) else { return try parseCollation(of: try parsePrimary()) }
      op = nil
    }
    let isBinary = isKeyword(.binary)
    advance()
    try descend()
    defer { ascend() }
    let operand = try parseUnary()
    if isBinary { return .cast(operand, .binary(length: nil)) }
    return op.map { .unary($0, operand) } ?? operand
  }

  /// `expr COLLATE name`, repeated.
  private mutating func parseCollation(of expr: Expr) throws(ParseError) -> Expr {
    var expr = expr
    while accept(.collate) { expr = .collate(expr, collation: try nameOrString().lowercased()) }
    return expr
  }

  /// What a parenthesis holds in an expression: a query, or one or more expressions.
  enum ParenthesizedContents {
    case query(Query)
    case expressions([Expr])
  }

  /// `(SELECT ...)`, `((SELECT ...) UNION ...)`, `(a)` or `(a, b, ...)`, from its `(`.
  mutating func parseParenthesizedContents() throws(ParseError) -> ParenthesizedContents {
    try expect(.leftParen)
    if isKeyword(.select) {
      let query = try parseQuery()
      try expect(.rightParen)
      return .query(query)
    }
    let first = try parseExpression()
    if case .subquery(let query) = first, isQueryContinuation {
      let body = try parseQueryBody(startingWith: .parenthesized(query))
      let whole = try parseQueryTail(of: body)
      try expect(.rightParen)
      return .query(whole)
    }
    var list = [first]
    while accept(.comma) { list.append(try parseExpression()) }
    try expect(.rightParen)
    return .expressions(list)
  }

  /// Whether the current token continues a query after a parenthesised operand.
  var isQueryContinuation: Bool {
    [.union, .order, .limit, .for, .lock].contains(current.keyword)
  }
}
