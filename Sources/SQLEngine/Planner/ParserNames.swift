import SQLParser

/// The parser's `LIMIT` clause, named apart from the coprocessor's `Limit` executor (the
/// parser's module is shadowed by its `SQLParser` enum, so it cannot be qualified).
typealias LimitClause = Limit
