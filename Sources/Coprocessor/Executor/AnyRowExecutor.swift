/// A step of a pipeline whose type is known only when the request arrives; when the request
/// asks for `execution_summaries`, it counts what it does into `summary`.
struct AnyRowExecutor: RowExecutor {
  /// What one step did; shared with the pipeline, which reports it.
  final class Summary {
    var rowsProduced: UInt64 = 0
    var calls: UInt64 = 0
  }

  private var base: any RowExecutor
  /// Nil unless counting: the counters cost a class access per row.
  let summary: Summary?

  init(_ base: some RowExecutor, counting: Bool) {
    self.base = base
    summary = counting ? Summary() : nil
  }

  mutating func next() throws(CoprocessorError) -> [Datum]? {
    guard let summary else { return try base.next() }
    summary.calls += 1
    guard let row = try base.next() else { return nil }
    summary.rowsProduced += 1
    return row
  }
}
