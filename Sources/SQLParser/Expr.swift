/// An expression. Parsing follows MySQL's precedence (loosest first): `OR`/`||`, `XOR`,
/// `AND`/`&&`, `NOT`, comparisons and predicates (`=`, `<=>`, `<>`, `<`, `IS`, `LIKE`, `REGEXP`,
/// `IN`, `BETWEEN`), `|`, `&`, `<<`/`>>`, `+`/`-`, `*`/`/`/`DIV`/`%`/`MOD`, `^`, prefix
/// `-`/`~`/`!`, `COLLATE`. Parentheses leave no node of their own.
///
/// `description` prints canonical SQL (keywords upper-cased, names backquoted, parentheses where
/// precedence needs them) that parses back to the same tree.
public indirect enum Expr: Sendable, Hashable {
  /// A literal value.
  case literal(Literal)
  /// A column reference.
  case column(ColumnName)
  /// A `?` placeholder: its index among the statement's placeholders, from 0, in order of
  /// appearance.
  case parameter(Int)
  /// `@name` or `@@name`.
  case variable(Variable)
  /// `-x`, `~x`, `NOT x` or `!x` (unary `+` leaves no node).
  case unary(UnaryOperator, Expr)
  /// `x op y`.
  case binary(BinaryOperator, Expr, Expr)
  /// `x IS [NOT] NULL` (`IS [NOT] UNKNOWN` too).
  case isNull(Expr, negated: Bool)
  /// `x IS [NOT] TRUE` or `x IS [NOT] FALSE`.
  case isBoolean(Expr, Bool, negated: Bool)
  /// `x [NOT] LIKE pattern [ESCAPE escape]`.
  case like(Expr, pattern: Expr, escape: Expr?, negated: Bool)
  /// `x [NOT] REGEXP pattern` (`RLIKE` too).
  case regexp(Expr, pattern: Expr, negated: Bool)
  /// `x [NOT] BETWEEN low AND high`.
  case between(Expr, low: Expr, high: Expr, negated: Bool)
  /// `x [NOT] IN (a, b, ...)`.
  case inList(Expr, [Expr], negated: Bool)
  /// `x [NOT] IN (SELECT ...)`.
  case inSubquery(Expr, Query, negated: Bool)
  /// `x op ANY|SOME|ALL (SELECT ...)`, `op` a comparison.
  case quantifiedComparison(BinaryOperator, Expr, Quantifier, Query)
  /// `EXISTS (SELECT ...)` (`NOT EXISTS` is `.unary(.not, .exists(...))`).
  case exists(Query)
  /// `(SELECT ...)`, a scalar (or row) subquery.
  case subquery(Query)
  /// `(a, b, ...)` or `ROW(a, b, ...)`, two values or more.
  case row([Expr])
  /// A call of a function that is not an aggregate.
  case function(FunctionCall)
  /// A call of an aggregate function (`COUNT`, `SUM`, ...).
  case aggregate(AggregateCall)
  /// `CASE ... END`.
  case caseWhen(CaseExpression)
  /// `CAST(x AS type)`, `CONVERT(x, type)` and `BINARY x` (a cast to `BINARY`).
  case cast(Expr, CastType)
  /// `CONVERT(x USING charset)`, the character set lower-cased.
  case convertUsing(Expr, charset: String)
  /// `x COLLATE collation`, the collation lower-cased.
  case collate(Expr, collation: String)
  /// `INTERVAL x unit`, an operand of `+`, `-`, `DATE_ADD` and the like.
  case interval(Expr, TimeUnit)
  /// `DEFAULT` (in `VALUES`, `SET`) or `DEFAULT(column)`.
  case defaultValue(ColumnName?)
  /// `VALUES(column)`, in `ON DUPLICATE KEY UPDATE`: the value the row would have inserted.
  case values(ColumnName)
}

/// `ANY` (or `SOME`) and `ALL`, for comparisons with a subquery.
public enum Quantifier: String, Sendable, Hashable {
  /// `ANY`, `SOME`.
  case any = "ANY"
  /// `ALL`.
  case all = "ALL"
}
