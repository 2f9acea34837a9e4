/// How much work a check may do before it gives up with ``CheckResult/unknown(reason:)``.
///
/// Deciding linearizability is NP-complete; most real histories check in milliseconds, but a
/// pathological one (many concurrent operations with unknown outcomes on one key) may not.
public struct CheckBudget: Sendable {
  /// Wall-clock time for the whole check, or `nil` for no limit.
  public var timeout: Duration?
  /// Search steps (attempts to linearize or undo one operation) for the whole check, or `nil`
  /// for no limit; unlike a timeout, a step limit gives the same verdict on every machine.
  public var steps: Int?

  /// Creates a budget; `nil` means no limit.
  public init(timeout: Duration? = nil, steps: Int? = nil) {
    self.timeout = timeout
    self.steps = steps
  }

  /// No limit: the check runs until it has a verdict.
  public static let unlimited = CheckBudget()
}

/// Counts a check's steps against its budget.
struct BudgetMeter {
  private let deadline: ContinuousClock.Instant?
  private var stepsLeft: Int
  private var stepsUntilClockRead = 0

  /// Starts spending `budget` now.
  init(_ budget: CheckBudget) {
    deadline = budget.timeout.map { ContinuousClock.now.advanced(by: $0) }
    stepsLeft = budget.steps ?? .max
  }

  /// Spends one step; returns `false` once the budget is exhausted.
  mutating func spend() -> Bool {
    stepsLeft -= 1
    guard stepsLeft >= 0 else { return false }
    guard let deadline else { return true }
    if stepsUntilClockRead == 0 {
      stepsUntilClockRead = 1024
      if ContinuousClock.now >= deadline { return false }
    }
    stepsUntilClockRead -= 1
    return true
  }

  /// Why the check stopped, for ``CheckResult/unknown(reason:)``.
  var exhaustionReason: String {
    stepsLeft < 0 ? "step budget exhausted" : "time budget exhausted"
  }
}
