import Synchronization
import TinyKVProto

/// A client's session for exactly-once raw writes (the Raft thesis, section 6.3): an id the
/// cluster allocated, and a number for each write. A region applies each (id, number) at most
/// once and answers a resend from what it recorded, so a write whose outcome is unknown (a
/// store killed before answering, a lost connection, a timeout) can be sent again safely.
///
/// It also tells the regions which numbers the client is done with: every number below the
/// lowest write still waiting for its answer (`completedBelow`), so they forget those.
/// Safe to share between tasks.
package final class WriteSession: Sendable {
  private struct Numbers {
    /// The next write's number.
    var next: UInt64 = 1
    /// Numbers handed out and not yet finished.
    var outstanding: Set<UInt64> = []
    /// The lowest outstanding number (or `next` when none is).
    var lowest: UInt64 = 1
  }

  /// The session's id, unique in the cluster (the scheduler's id allocator).
  package let id: UInt64
  private let numbers = Mutex(Numbers())

  /// A session with `id`.
  package init(id: UInt64) { self.id = id }

  /// Numbers a new write; call ``finish(_:)`` once its answer is known (or given up on).
  package func begin() -> UInt64 {
    numbers.withLock { numbers in
      defer { numbers.next += 1 }
      numbers.outstanding.insert(numbers.next)
      return numbers.next
    }
  }

  /// The write numbered `sequence` needs no more resends.
  package func finish(_ sequence: UInt64) {
    numbers.withLock { numbers in
      numbers.outstanding.remove(sequence)
      while numbers.lowest < numbers.next, !numbers.outstanding.contains(numbers.lowest) {
        numbers.lowest += 1
      }
    }
  }

  /// Every write numbered below this has its answer.
  package var completedBelow: UInt64 { numbers.withLock { $0.lowest } }

  /// What a request carries for the write numbered `sequence`.
  /// - Parameter resend: an earlier attempt's outcome is unknown.
  package func context(for sequence: UInt64, resend: Bool) -> Kvrpcpb_WriteSession {
    Kvrpcpb_WriteSession(
      id: id, sequence: sequence, completedBelow: completedBelow, resend: resend)
  }
}
