import Coprocessor

/// A row: one value per column of its plan's schema.
typealias Row = [Datum]

/// A node of a running plan: hands out its rows in batches. Pulled by its parent from one task.
protocol Executor: AnyObject {
  /// The next batch of rows (never empty); nil once there are no more.
  func next() async throws -> [Row]?
}

extension Executor {
  /// Every remaining row.
  func drain() async throws -> [Row] {
    var rows: [Row] = []
    while let batch = try await next() { rows += batch }
    return rows
  }
}

/// Rows known up front (a `VALUES` list, a `SELECT` without `FROM`, a materialised result).
final class RowsExecutor: Executor {
  private var rows: [Row]?

  init(_ rows: [Row]) { self.rows = rows.isEmpty ? nil : rows }

  func next() async throws -> [Row]? {
    defer { rows = nil }
    return rows
  }
}
