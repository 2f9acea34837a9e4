import Synchronization

/// PD's service GC safe points: each service (TiDB, BR, CDC, a client) keeps a safe point
/// alive for a TTL; the cluster must not collect versions newer than the smallest live one.
/// Kept in memory: a restart forgets them, and services renew theirs within their TTL anyway.
final class ServiceSafePoints: Sendable {
  private struct Entry {
    var safePoint: UInt64
    /// Wall-clock millisecond after which the entry no longer counts.
    var expiresAtMillis: Int64
  }

  /// Live entries by service id. Invariant: after `update`, none has expired.
  private let entries = Mutex<[String: Entry]>([:])

  /// Records (or, with `ttlSeconds <= 0`, removes) `service`'s safe point, drops expired
  /// entries, and returns the smallest safe point still alive with its owner.
  /// - Parameters:
  ///   - service: the service's id.
  ///   - safePoint: its new safe point.
  ///   - ttlSeconds: how long it stays alive.
  ///   - nowMillis: the current wall-clock time in milliseconds.
  ///   - floor: what to report when no service holds a safe point (the cluster's GC safe point).
  /// - Returns: the minimum live safe point, the service holding it and the seconds it has
  ///   left (empty and 0 for `floor`).
  func update(
    service: String, safePoint: UInt64, ttlSeconds: Int64, nowMillis: Int64, floor: UInt64
  ) -> (service: String, safePoint: UInt64, ttlSeconds: Int64) {
    entries.withLock { entries in
      if ttlSeconds <= 0 {
        entries[service] = nil
      } else {
        let ttlMillis = ttlSeconds > Int64.max / 1000 ? Int64.max / 2 : ttlSeconds * 1000
        entries[service] = Entry(safePoint: safePoint, expiresAtMillis: nowMillis + ttlMillis)
      }
      entries = entries.filter { $0.value.expiresAtMillis > nowMillis }
      guard let minimum = entries.min(by: { $0.value.safePoint < $1.value.safePoint }) else {
        return ("", floor, 0)
      }
      return (
        minimum.key, minimum.value.safePoint, (minimum.value.expiresAtMillis - nowMillis) / 1000
      )
    }
  }
}
