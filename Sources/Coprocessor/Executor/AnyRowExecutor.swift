/// A step of a pipeline whose type is known only when the request arrives, counting what it
/// does into `summary` (for `execution_summaries`).
struct AnyRowExecutor: RowExecutor {
  /// What one step did; shared with the pipeline, which reports it.
  final class Summary {
    var rowsProduced: UInt64 = 0
    var calls: UInt64 = 0
  }

  private var base: any RowExecutor
  let summary = Summary()

  init(_ base: some RowExecutor) { self.base = base }

  mutating func next() throws(CoprocessorError) -> [Datum]? {
    summary.calls += 1
    guard let row = try base.next() else { return nil }
    summary.rowsProduced += 1
    return row
  }
}
