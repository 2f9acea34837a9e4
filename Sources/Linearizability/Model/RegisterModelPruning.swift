extension RegisterModel {
  /// Leaves out the operations with unknown outcome that no other operation needs:
  ///
  /// - every read with unknown outcome: it changes nothing and any answer is accepted;
  /// - every write or compare-and-set with unknown outcome whose new value no read returned
  ///   and no compare-and-set expected, provided no compare-and-set is known to have failed.
  ///
  /// Taking such a write out of a linearization changes the register only until the next write:
  /// a read with a known answer there would have returned the new value, a compare-and-set that
  /// swapped there would have expected it, and one with unknown outcome that did not swap may be
  /// left out too. A failed compare-and-set only says the value was not the one it expected,
  /// which the pruned write may have caused, so one of them keeps every write.
  public func prunableOperations(
    in partition: [ClientOperation<RegisterInput, RegisterOutput>]
  ) -> Set<Int> {
    var observed = Set<Int>()
    var aCompareAndSetFailed = false
    for operation in partition {
      switch (operation.input, operation.completion) {
      case (.read, .returned(.read(let value), _)):
        observed.insert(value)
      case (.compareAndSet, .returned(.compareAndSet(succeeded: false), _)):
        aCompareAndSetFailed = true
      case (.compareAndSet(let expected, _), _):
        observed.insert(expected)
      default:
        break
      }
    }
    return partition.unknownOutcomes { input in
      switch input {
      case .read: true
      case .write(let value), .compareAndSet(_, let value):
        !aCompareAndSetFailed && !observed.contains(value)
      }
    }
  }
}
