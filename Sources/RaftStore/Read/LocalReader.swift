import Synchronization
import TinyKVProto

/// Lease reads (TiKV's `LocalReader`): a leader whose lease is valid serves a linearizable read
/// from its kv engine at once, on the caller's thread, without a Raft round or a hand-off to
/// the raft loop.
///
/// **Why it is safe.** With check-quorum on, a voter that heard from its leader less than an
/// election timeout ago refuses to vote (`RaftCore.step`, "leader lease"). So when a quorum
/// acknowledged a message the leader sent at time `T` (an append that committed, or a ReadIndex
/// heartbeat that was confirmed), no other leader can be elected before `T` plus an election
/// timeout by the voters' clocks, and the leader is still the only one until
/// `T + RaftStoreConfig.leaderLease` (shorter than the election timeout, minus a margin for
/// clock drift and tick jitter). The kv engine then holds every write acknowledged so far once
/// the leader applied an entry of its own term (every entry committed by earlier leaders lies
/// before it), and the apply loop acknowledges a write only after writing it.
///
/// **What ends a lease.** The raft loop ends it when the peer stops leading, starts a
/// leadership transfer (the transferee campaigns without waiting out the lease) or goes away;
/// the apply loop ends it when the region's epoch changes (a split or a membership change).
/// A renewal computed from a message sent before the lease ended does not bring it back.
/// A voter that restarts forgets when it last heard from the leader and may vote at once
/// (TiKV has the same exposure); the margin does not cover that.
package final class LocalReader: Sendable {
  /// One region's lease, as the raft loop and the apply loop keep it.
  private struct Lease {
    /// The term the lease was won in.
    var term: UInt64 = 0
    /// Reads are served locally until then.
    var expiry: ContinuousClock.Instant
    /// Renewals from messages sent before this instant are ignored (the lease ended then).
    var notBefore: ContinuousClock.Instant
    /// The term of the newest entry the apply loop applied; reads need it to equal `term`.
    var appliedTerm: UInt64 = 0
    /// The region as last applied (nil until the apply loop reported it).
    var region: Metapb_Region?
    /// A read asked the peer to renew the lease, and it has not been renewed since.
    var renewalAsked = false
  }

  private let leases = Mutex<[UInt64: Lease]>([:])
  /// How long a quorum's acknowledgement keeps this store's leaders leading (nil: lease reads
  /// are off).
  package let duration: Duration?
  /// The clock leases are measured on (monotonic; a simulation passes its own).
  package let now: @Sendable () -> ContinuousClock.Instant

  /// A reader granting leases of `duration` (nil turns lease reads off) on `now`'s clock.
  package init(
    duration: Duration?, now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
  ) {
    self.duration = duration
    self.now = now
  }

  /// A read the leader may serve locally.
  package struct LocalRead {
    /// The region to read from.
    package var region: Metapb_Region
    /// The lease has less than a third left and no renewal was asked for yet: send the peer
    /// `PeerMessage.renewLease`, so steady reads keep the lease without a gap.
    package var renew: Bool
  }

  /// The region to read from if the leader of `context.regionID` on this store may serve the
  /// read locally now: its lease is valid, it applied an entry of its term, and the request's
  /// epoch (when it has one) is the region's. Nil sends the read through Raft (ReadIndex),
  /// which also answers every error.
  package func read(_ context: Kvrpcpb_Context) -> LocalRead? {
    guard let duration else { return nil }
    let now = now()
    return leases.withLock { leases -> LocalRead? in
      guard var lease = leases[context.regionID], now < lease.expiry,
        lease.appliedTerm == lease.term, let region = lease.region
      else { return nil }
      if context.hasRegionEpoch && context.regionEpoch != region.regionEpoch { return nil }
      let renew = !lease.renewalAsked && lease.expiry - now < duration / 3
      if renew {
        lease.renewalAsked = true
        leases[context.regionID] = lease
      }
      return LocalRead(region: region, renew: renew)
    }
  }

  /// The raft loop: a quorum acknowledged what the leader of `term` sent at `sentAt`, so it
  /// leads until `sentAt` plus the lease.
  func renew(_ regionID: UInt64, term: UInt64, sentAt: ContinuousClock.Instant) {
    guard let duration else { return }
    leases.withLock { leases in
      var lease = leases[regionID] ?? Lease(expiry: sentAt, notBefore: sentAt)
      guard sentAt >= lease.notBefore else { return }
      if lease.term != term {
        lease.term = term
        lease.expiry = sentAt
      }
      lease.expiry = max(lease.expiry, sentAt + duration)
      lease.renewalAsked = false
      leases[regionID] = lease
    }
  }

  /// The raft loop: the peer no longer leads, is handing leadership over, or went away.
  func end(_ regionID: UInt64) {
    guard duration != nil else { return }
    let now = now()
    leases.withLock { leases in
      guard var lease = leases[regionID] else { return }
      lease.expiry = now
      lease.notBefore = now
      lease.renewalAsked = false
      leases[regionID] = lease
    }
  }

  /// The apply loop: the region applied entries up to one of `term` (after writing them) and is
  /// now `region`; a changed epoch ends the lease.
  func applied(_ regionID: UInt64, term: UInt64, region: Metapb_Region) {
    guard duration != nil else { return }
    let now = now()
    leases.withLock { leases in
      var lease = leases[regionID] ?? Lease(expiry: now, notBefore: now)
      if let old = lease.region, old.regionEpoch != region.regionEpoch {
        lease.expiry = now
        lease.notBefore = now
      }
      lease.appliedTerm = term
      lease.region = region
      leases[regionID] = lease
    }
  }

  /// The raft loop: the region's peer on this store was destroyed.
  func forget(_ regionID: UInt64) {
    guard duration != nil else { return }
    _ = leases.withLock { $0.removeValue(forKey: regionID) }
  }
}
