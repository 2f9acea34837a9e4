import Foundation
import TinyKVProto

/// A node's role.
public enum StateRole: Sendable, Equatable, CustomStringConvertible {
  case follower, candidate, preCandidate, leader

  public var description: String {
    switch self {
    case .follower: "Follower"
    case .candidate: "Candidate"
    case .preCandidate: "PreCandidate"
    case .leader: "Leader"
    }
  }
}

/// Volatile state worth telling the application about: who leads, and our role.
/// Not persisted.
public struct SoftState: Sendable, Equatable {
  /// The known leader, or 0.
  public var leaderID: UInt64
  /// This node's role.
  public var role: StateRole

  public init(leaderID: UInt64, role: StateRole) {
    self.leaderID = leaderID
    self.role = role
  }
}

/// The answer to a ``RawNode/readIndex(_:)`` request: once the application has applied
/// up to `index`, a read that carried `requestContext` is linearizable.
public struct ReadState: Sendable, Equatable {
  /// The commit index at the time the read was received by the leader.
  public var index: UInt64
  /// The caller's context, as passed to ``RawNode/readIndex(_:)``.
  public var requestContext: Data

  public init(index: UInt64, requestContext: Data) {
    self.index = index
    self.requestContext = requestContext
  }
}

/// A snapshot of a node's state, for monitoring and tests.
public struct RaftStatus: Sendable, Equatable {
  public var id: UInt64
  public var hardState: Eraftpb_HardState
  public var softState: SoftState
  public var applied: UInt64
  /// The replication progress of every peer; only on the leader.
  public var progress: [UInt64: Progress]
  /// The peer a leadership transfer is heading to, or 0.
  public var leadTransferee: UInt64
}
