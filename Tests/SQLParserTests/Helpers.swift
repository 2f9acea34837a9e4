import Testing

@testable import SQLParser

/// The one statement of `sql`; a parse error fails the calling test.
func statement(_ sql: String, sourceLocation: SourceLocation = #_sourceLocation) throws
  -> Statement
{
  do {
    return try SQLParser.parseOne(sql)
  } catch {
    Issue.record("\(sql): \(error)", sourceLocation: sourceLocation)
    throw error
  }
}

/// The query of a `SELECT` statement.
func query(_ sql: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Query {
  guard case .select(let query) = try statement(sql, sourceLocation: sourceLocation) else {
    Issue.record("\(sql) is no query", sourceLocation: sourceLocation)
    throw ParseError.emptyQuery
  }
  return query
}

/// The `SELECT` block of a query that is one.
func select(_ sql: String, sourceLocation: SourceLocation = #_sourceLocation) throws
  -> SelectStatement
{
  guard case .select(let block) = try query(sql, sourceLocation: sourceLocation).body else {
    Issue.record("\(sql) is no single SELECT", sourceLocation: sourceLocation)
    throw ParseError.emptyQuery
  }
  return block
}

/// The expression `text`, parsed as `SELECT text`.
func expr(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Expr {
  let block = try select("SELECT " + text, sourceLocation: sourceLocation)
  guard block.fields.count == 1, case .expression(let expr, nil, _) = block.fields[0] else {
    Issue.record("\(text) is not one unaliased expression", sourceLocation: sourceLocation)
    throw ParseError.emptyQuery
  }
  return expr
}

/// The error parsing `sql` gives, or nil (recording an issue) if it parses.
func parseError(_ sql: String, sourceLocation: SourceLocation = #_sourceLocation) -> ParseError? {
  do {
    let statements = try SQLParser.parse(sql)
    Issue.record("\(sql) parsed as \(statements)", sourceLocation: sourceLocation)
    return nil
  } catch {
    return error
  }
}

/// Whether `sql` parses as a script.
func parses(_ sql: String) -> Bool { (try? SQLParser.parse(sql)) != nil }

/// Parses `sql`, prints each statement, and checks the printed SQL parses back to the same
/// statement and prints the same again.
func checkRoundTrip(_ sql: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
  let statements = try SQLParser.parse(sql)
  #expect(!statements.isEmpty, "\(sql)", sourceLocation: sourceLocation)
  for original in statements {
    let printed = original.description
    let reparsed: Statement
    do {
      reparsed = try SQLParser.parseOne(printed)
    } catch {
      Issue.record(
        "\(sql) printed as \(printed), which fails: \(error)", sourceLocation: sourceLocation)
      continue
    }
    #expect(reparsed == original, "\(sql) printed as \(printed)", sourceLocation: sourceLocation)
    #expect(reparsed.description == printed, sourceLocation: sourceLocation)
  }
}

// Shorthands for expected trees.

func col(_ name: String, _ table: String? = nil) -> Expr {
  .column(ColumnName(table: table.map { TableName(name: $0) }, name: name))
}

func int(_ value: Int64) -> Expr { .literal(.integer(value)) }

func str(_ text: String) -> Expr { .literal(.string(Array(text.utf8), charset: nil)) }

func bin(_ op: BinaryOperator, _ left: Expr, _ right: Expr) -> Expr { .binary(op, left, right) }

func call(_ name: String, _ arguments: Expr...) -> Expr {
  .function(FunctionCall(name: name, arguments: arguments))
}

func table(_ name: String, schema: String? = nil, alias: String? = nil) -> TableReference {
  .table(TableName(schema: schema, name: name), alias: alias, indexHints: [])
}
