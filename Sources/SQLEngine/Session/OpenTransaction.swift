/// A transaction that spans statements: `BEGIN ... COMMIT`, or the implicit one of
/// `autocommit = 0`.
struct OpenTransaction {
  let txn: any KVTransaction
  /// Opened by `BEGIN` (else by a statement under `autocommit = 0`).
  let explicit: Bool
  /// The tables written, with the revision of their definition the writes used.
  var written: [Int64: Int64] = [:]
  /// The schema version the transaction's statements planned with.
  var schemaVersion: Int64?
}
