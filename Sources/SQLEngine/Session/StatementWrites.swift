import Foundation

/// One statement's view of its transaction: reads see the transaction's writes and the
/// statement's own; the statement's writes stay here until it succeeds (`flush`), so a
/// statement that fails half-way inside `BEGIN ... COMMIT` leaves nothing behind (MySQL's
/// statement atomicity).
final class StatementWrites: KVTransaction {
  let base: any KVTransaction
  private var staged: [Data: Data?] = [:]

  init(_ base: any KVTransaction) { self.base = base }

  var startTS: UInt64 { base.startTS }
  var isReadOnly: Bool { base.isReadOnly && staged.isEmpty }
  /// Whether the statement wrote anything.
  var isEmpty: Bool { staged.isEmpty }

  func get(_ key: Data) async throws -> Data? {
    if let staged = staged[key] { return staged }
    return try await base.get(key)
  }

  func scan(from start: Data, to end: Data, limit: Int) async throws -> [(key: Data, value: Data)] {
    try await base.scan(from: start, to: end, limit: limit)
  }

  func bufferedWrites(from start: Data, to end: Data) -> [(key: Data, value: Data?)] {
    let mine = staged.filter { key, _ in
      !key.lexicographicallyPrecedes(start) && (end.isEmpty || key.lexicographicallyPrecedes(end))
    }
    guard !mine.isEmpty else { return base.bufferedWrites(from: start, to: end) }
    var merged = Dictionary(
      base.bufferedWrites(from: start, to: end).map { ($0.key, $0.value) },
      uniquingKeysWith: { _, last in last })
    for (key, value) in mine { merged[key] = value }
    return merged.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map { ($0.key, $0.value) }
  }

  func put(_ key: Data, _ value: Data) { staged[key] = .some(value) }
  func delete(_ key: Data) { staged[key] = .some(nil) }

  func coprocessor(dag: Data, ranges: [(start: Data, end: Data)]) async throws -> [Data] {
    try await base.coprocessor(dag: dag, ranges: ranges)
  }

  /// Moves the statement's writes into the transaction.
  func flush() {
    for (key, value) in staged {
      if let value { base.put(key, value) } else { base.delete(key) }
    }
    staged = [:]
  }

  func commit() async throws -> UInt64 {
    flush()
    return try await base.commit()
  }

  func rollback() async throws { try await base.rollback() }
}
