/// One step of a DAG request's pipeline, pulled one row at a time: a scan at the bottom, each
/// step above taking rows from the one below. A row is its columns' values in the step's
/// output order.
public protocol RowExecutor {
  /// The next row, or nil when there are no more.
  mutating func next() throws(CoprocessorError) -> [Datum]?
}

/// The key-value pairs a scan reads, in its order (a region's snapshot at the request's
/// timestamp, past the MVCC layer).
public protocol KeyValueSource {
  /// The next pair, or nil at the end.
  mutating func next() throws(CoprocessorError) -> (key: [UInt8], value: [UInt8])?
}
