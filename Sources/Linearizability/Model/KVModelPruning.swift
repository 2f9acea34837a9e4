extension KVModel {
  /// Leaves out the operations with unknown outcome that no get needs:
  ///
  /// - every get with unknown outcome: it changes nothing and any answer is accepted;
  /// - on a key without appends, every put with unknown outcome whose value no get returned.
  ///   Taking such a put out of a linearization changes the key's value only until the next
  ///   put, and a get with a known answer in that stretch would have returned the put's value.
  ///
  /// Puts and appends on a key with appends are kept: a read there returns a concatenation, so
  /// it may have seen a write without returning its value.
  public func prunableOperations(in partition: [ClientOperation<KVInput, String>]) -> Set<Int> {
    var returned = Set<String>()
    var hasAppends = false
    for operation in partition {
      switch (operation.input, operation.completion) {
      case (.get, .returned(let value, _)): returned.insert(value)
      case (.append, _): hasAppends = true
      default: break
      }
    }
    return partition.unknownOutcomes { input in
      switch input {
      case .get: true
      case .put(_, let value): !hasAppends && !returned.contains(value)
      case .append: false
      }
    }
  }
}
