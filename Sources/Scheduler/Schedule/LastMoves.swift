/// The last balance move of each region (peers and leadership separately).
///
/// TinyKV's gap rule keeps two stores from trading a region back and forth, but with more
/// stores other moves can shift the loads in between until the reverse move looks worth it.
/// Remembering the last move and refusing its exact opposite rules that out; the balancers
/// then pick another region, and the cluster still converges.
struct LastMoves: Sendable {
  enum Kind: Hashable, Sendable { case peer, leader }

  struct Key: Hashable, Sendable {
    var regionID: UInt64
    var kind: Kind
  }

  private(set) var moves: [Key: (from: UInt64, to: UInt64)] = [:]

  /// Records the move an operator from a balancer makes.
  mutating func record(_ op: Operator) {
    var from: UInt64?
    var to: UInt64?
    var kind = Kind.leader
    for step in op.steps {
      switch step {
      case .addPeer(let store, _):
        to = store
        kind = .peer
      case .removePeer(let store):
        from = store
        kind = .peer
      case .transferLeader(let a, let b) where kind == .leader:
        from = a
        to = b
      default: break
      }
    }
    guard let from, let to else { return }
    moves[Key(regionID: op.regionID, kind: kind)] = (from, to)
  }

  /// Forgets regions that no longer exist.
  mutating func forget(regionID: UInt64) {
    moves[Key(regionID: regionID, kind: .peer)] = nil
    moves[Key(regionID: regionID, kind: .leader)] = nil
  }
}
