/// Decides whether a concurrent history is linearizable with respect to a model.
///
/// The history is split into the model's partitions (per key for ``KVModel``), and each part is
/// searched with Wing & Gong's algorithm as improved by Lowe and Porcupine: memoising visited
/// (linearized set, state) pairs and representing linearized sets as bitsets.
///
/// ```swift
/// let budget = CheckBudget(timeout: .seconds(5))
/// let checker = LinearizabilityChecker(model: KVModel(), budget: budget)
/// switch checker.check(history.operations()) {
/// case .linearizable: break
/// case .notLinearizable(let explanation): Issue.record("\(explanation)")
/// case .unknown(let reason): print("inconclusive: \(reason)")
/// }
/// ```
public struct LinearizabilityChecker<M: Model>: Sendable {
  /// The sequential specification.
  public var model: M
  /// How much work one ``check(_:)`` may do.
  public var budget: CheckBudget

  /// Creates a checker.
  public init(model: M, budget: CheckBudget = .unlimited) {
    self.model = model
    self.budget = budget
  }

  /// Checks a history, partition by partition in order of first appearance, stopping at the
  /// first partition that is not linearizable. Each partition is searched without the
  /// operations with unknown outcome that the model says no linearization needs
  /// (``Model/prunableOperations(in:)``).
  ///
  /// - Parameter operations: The operations that may have taken effect: returned ones and ones
  ///   with unknown outcome; leave out the ones known to have failed.
  /// - Returns: The verdict; ``CheckResult/unknown(reason:)`` when the budget ran out first.
  public func check(_ operations: [ClientOperation<M.Input, M.Output>]) -> CheckResult {
    var meter = BudgetMeter(budget)
    for (key, all) in partitions(of: operations) {
      let indices = unpruned(all, of: operations)
      var search = PartitionSearch(model: model, operations: indices.map { operations[$0] })
      switch search.run(meter: &meter) {
      case .linearizable:
        continue
      case .outOfBudget:
        return .unknown(reason: meter.exhaustionReason)
      case .deadEnd(let deadEnd):
        return .notLinearizable(
          explain(
            deadEnd, partition: "\(key)", indices: indices, pruned: all.count - indices.count,
            operations: operations))
      }
    }
    return .linearizable
  }

  /// The indices of the operations of each partition, partitions in order of first appearance.
  private func partitions(
    of operations: [ClientOperation<M.Input, M.Output>]
  ) -> [(key: M.PartitionKey, indices: [Int])] {
    var position: [M.PartitionKey: Int] = [:]
    var parts: [(key: M.PartitionKey, indices: [Int])] = []
    for (index, operation) in operations.enumerated() {
      let key = model.partitionKey(of: operation.input)
      if let existing = position[key] {
        parts[existing].indices.append(index)
      } else {
        position[key] = parts.count
        parts.append((key, [index]))
      }
    }
    return parts
  }

  private func explain(
    _ deadEnd: PartitionSearch<M>.DeadEnd, partition: String, indices: [Int], pruned: Int,
    operations: [ClientOperation<M.Input, M.Output>]
  ) -> NonLinearizableExplanation {
    func described(_ local: Int) -> DescribedOperation {
      let index = indices[local]
      let operation = operations[index]
      return DescribedOperation(
        index: index, client: operation.client, call: operation.call,
        returnTime: operation.returnTime, text: model.describe(operation.input, operation.output))
    }
    return NonLinearizableExplanation(
      partition: partition, operationCount: indices.count + pruned, prunedCount: pruned,
      linearizedPrefix: deadEnd.prefix.map(described),
      stateAfterPrefix: model.describe(deadEnd.state),
      deadline: described(deadEnd.deadline), unplaced: deadEnd.pending.map(described))
  }
}
