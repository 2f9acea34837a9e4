import TinyKVProto

/// A plan for one region: a sequence of steps sent one at a time in region heartbeat
/// responses and advanced when a heartbeat shows the current step done.
///
/// Life cycle: `running` until every step is done (`success`), the deadline passes (`timeout`),
/// or the region changes in a way the operator did not cause (`cancelled`: a split or merge, or
/// more membership changes than its own steps account for); a newer operator may `replace` it.
public struct Operator: Sendable, Equatable, CustomStringConvertible {
  /// Who made the operator.
  public enum Kind: String, Sendable {
    case replica = "replica"
    case balanceRegion = "balance-region"
    case balanceLeader = "balance-leader"
    case scatter = "scatter"
    /// Asked for through `AddOperator` (a person or a test).
    case admin = "admin"
  }

  /// Where the operator is in its life.
  public enum Status: String, Sendable {
    case running, success, timeout, cancelled, replaced
  }

  /// The region the operator changes.
  public let regionID: UInt64
  /// The checker or scheduler that made it.
  public let kind: Kind
  /// For people: why the operator exists.
  public let reason: String
  /// The plan, in order.
  public let steps: [OperatorStep]
  /// The region's epoch when the operator was made.
  public let epoch: Metapb_RegionEpoch
  /// Monotonic milliseconds of creation.
  public let createdAt: Int64
  /// Monotonic deadline in milliseconds.
  public let deadline: Int64
  /// Index of the step in progress (`steps.count` once all are done).
  public private(set) var currentStep = 0
  public internal(set) var status = Status.running
  /// Monotonic milliseconds when the operator stopped running.
  public internal(set) var finishedAt: Int64?

  init(
    region: RegionInfo, kind: Kind, reason: String, steps: [OperatorStep], now: Int64,
    timeoutMillis: Int64
  ) {
    regionID = region.id
    self.kind = kind
    self.reason = reason
    self.steps = steps
    epoch = region.epoch
    createdAt = now
    deadline = now + timeoutMillis
  }

  /// Whether any step moves peers (as opposed to only transferring leaders).
  public var movesPeers: Bool { steps.contains { $0.isConfChange } }

  /// The step in progress, if any.
  public var step: OperatorStep? { currentStep < steps.count ? steps[currentStep] : nil }

  /// What happened when a heartbeat of the region was checked against the operator.
  enum Progress: Equatable {
    /// Send this step (again) to the leader.
    case send(OperatorStep)
    case finished
    case timedOut
    /// The region changed under the operator.
    case stale
  }

  /// Advances past every step the region shows done, then reports what to do.
  mutating func check(_ region: RegionInfo, now: Int64) -> Progress {
    while let step, step.isFinished(on: region) { currentStep += 1 }
    if region.epoch.version != epoch.version { return .stale }
    // Membership changes the operator may have caused: those of the steps done, plus the
    // step in progress (a peer added but still catching up has already bumped the epoch).
    let confChangesDone = steps[..<currentStep].filter(\.isConfChange).count
    let inProgress = step?.isConfChange == true ? 1 : 0
    if region.epoch.confVer > epoch.confVer + UInt64(confChangesDone + inProgress) { return .stale }
    guard let step else { return .finished }
    if now > deadline { return .timedOut }
    return .send(step)
  }

  public var description: String {
    let list = steps.enumerated().map { index, step in
      index == currentStep ? "[\(step)]" : "\(step)"
    }
    return
      "\(kind.rawValue) region \(regionID) (\(reason)): \(list.joined(separator: ", ")) - \(status.rawValue)"
  }
}
