import Linearizability

/// The key-value model with its pruning replaced, to see what pruning changes.
struct PruningOverrideModel: Model {
  /// What ``prunableOperations(in:)`` answers.
  enum Pruning: Sendable {
    /// Nothing: the search sees every operation.
    case nothing
    /// Every operation, including those with a known outcome (which the checker must keep).
    case everything
  }

  var pruning: Pruning
  private let base = KVModel()

  var initialState: String { base.initialState }

  func step(_ value: String, _ input: KVInput, _ output: String?) -> String? {
    base.step(value, input, output)
  }

  func partitionKey(of input: KVInput) -> String { base.partitionKey(of: input) }

  func describe(_ input: KVInput, _ output: String?) -> String { base.describe(input, output) }

  func describe(_ value: String) -> String { base.describe(value) }

  func prunableOperations(in partition: [ClientOperation<KVInput, String>]) -> Set<Int> {
    switch pruning {
    case .nothing: []
    case .everything: Set(partition.indices)
    }
  }
}
