import Coprocessor
import SQLParser

extension Session {
  /// SET: session variables (`autocommit`, `sql_mode`, ...; a bare word is its own text, as
  /// `SET sql_mode = STRICT_TRANS_TABLES`), user variables, `NAMES` and `CHARACTER SET`
  /// (utf8mb4 only: accepted and ignored).
  func runSet(_ set: SetStatement) async throws -> StatementResult {
    let context = try await ExecutionContext(session: self, txn: try await domain.store.begin())
    let compiler = ExpressionCompiler(
      schema: PlanSchema(columns: []), session: context, clause: "set list")
    for assignment in set.assignments {
      guard case .variable(let variable, let expr) = assignment else { continue }
      let value: Datum
      if case .column(let name) = expr, name.table == nil {
        value = .bytes(Array(name.name.utf8))
      } else if case .defaultValue = expr {
        if case .system(let name, _) = variable {
          value = .bytes(Array((SystemVariables.defaults[name.lowercased()] ?? "").utf8))
        } else {
          value = .null
        }
      } else {
        value = try await compiler.compile(expr).evaluator(width: 0).value([])
      }
      switch variable {
      case .user(let name):
        userVariables[name.lowercased()] = value
      case .system(let name, _):
        let wasAutocommit = variables.autocommit
        try variables.set(name, DatumText.text(value))
        // Turning autocommit on commits the open transaction (MySQL).
        if !wasAutocommit && variables.autocommit, transaction != nil {
          try await commitOpen()
        }
      }
    }
    return .ok(affectedRows: 0, lastInsertID: 0, info: "")
  }
}
