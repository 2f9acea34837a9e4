extension LinearizabilityChecker {
  /// The operations of one partition left for the search: all but those the model says no
  /// linearization needs (``Model/prunableOperations(in:)``), and never one with a known
  /// outcome, so pruning can only shrink the search, not hide a violation.
  ///
  /// - Parameters:
  ///   - indices: The partition's operations, as positions in `operations`.
  ///   - operations: The whole history.
  /// - Returns: The positions in `operations` of the operations kept, in the order given.
  func unpruned(_ indices: [Int], of operations: [ClientOperation<M.Input, M.Output>]) -> [Int] {
    let prunable = model.prunableOperations(in: indices.map { operations[$0] })
    return indices.enumerated().compactMap { position, index in
      guard prunable.contains(position), case .unknown = operations[index].completion else {
        return index
      }
      return nil
    }
  }
}

extension Array {
  /// The positions of the operations with unknown outcome whose input `isPrunable` accepts: the
  /// shape of every model's ``Model/prunableOperations(in:)``.
  func unknownOutcomes<Input, Output>(where isPrunable: (Input) -> Bool) -> Set<Int>
  where Element == ClientOperation<Input, Output> {
    Set(
      indices.filter { index in
        guard case .unknown = self[index].completion else { return false }
        return isPrunable(self[index].input)
      })
  }
}
