/// Runs an asynchronous function over each row, keeping what it returns (a row, or nil to
/// drop it): for expressions that must be planned again per row (correlated subqueries).
final class MapExecutor: Executor {
  private let child: any Executor
  private let transform: (Row) async throws -> Row?

  init(_ child: any Executor, _ transform: @escaping (Row) async throws -> Row?) {
    self.child = child
    self.transform = transform
  }

  func next() async throws -> [Row]? {
    while let batch = try await child.next() {
      var rows: [Row] = []
      for row in batch {
        if let mapped = try await transform(row) { rows.append(mapped) }
      }
      if !rows.isEmpty { return rows }
    }
    return nil
  }
}
