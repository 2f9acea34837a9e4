/// The verdict on a history.
public enum CheckResult: Sendable {
  /// Some total order of the operations, consistent with real time, is legal for the model.
  case linearizable
  /// No such order exists; the explanation says where the search got stuck.
  case notLinearizable(NonLinearizableExplanation)
  /// The budget ran out before a verdict.
  case unknown(reason: String)

  /// The explanation of a ``notLinearizable(_:)`` verdict, `nil` for the others.
  public var explanation: NonLinearizableExplanation? {
    if case .notLinearizable(let explanation) = self { return explanation }
    return nil
  }

  /// Whether the verdict is ``linearizable``.
  public var isLinearizable: Bool {
    if case .linearizable = self { return true }
    return false
  }
}

/// An operation as an error report shows it.
public struct DescribedOperation: Sendable, Hashable, CustomStringConvertible {
  /// The operation's position in the array given to the checker.
  public var index: Int
  /// The client that performed it.
  public var client: Int
  /// When it was called.
  public var call: UInt64
  /// When it returned, `nil` when its outcome is unknown.
  public var returnTime: UInt64?
  /// The model's description of its input and output, such as `get(k1) -> "a"`.
  public var text: String

  /// `[call, return] client c: text`, with `∞` for an unknown outcome.
  public var description: String {
    "[\(call), \(returnTime.map { "\($0)" } ?? "∞")] client \(client): \(text)"
  }
}

/// Where the search for a linearization got stuck: in which partition, after which longest
/// prefix, and which operations could not follow it.
public struct NonLinearizableExplanation: Sendable, CustomStringConvertible {
  /// The partition (for the key-value model, the key) with no linearization.
  public var partition: String
  /// How many operations the partition has.
  public var operationCount: Int
  /// How many of them, all with unknown outcome, were left out before the search because no
  /// linearization needs them (``Model/prunableOperations(in:)``); none is in the report.
  public var prunedCount: Int
  /// The longest order of operations the search found legal, first to last.
  public var linearizedPrefix: [DescribedOperation]
  /// The model's description of the state after ``linearizedPrefix``.
  public var stateAfterPrefix: String
  /// The operation that returned before the search could linearize it.
  public var deadline: DescribedOperation
  /// The operations called before ``deadline`` returned and not in the prefix: one of them had
  /// to come next, and the model rejects each in ``stateAfterPrefix``.
  public var unplaced: [DescribedOperation]

  /// How many prefix operations the description shows (the last ones).
  static let shownPrefixLength = 20

  /// A multi-line report of the explanation.
  public var description: String {
    let pruned = prunedCount > 0 ? ", \(prunedCount) of unknown outcome pruned" : ""
    var lines = [
      "not linearizable: partition \(partition) (\(operationCount) operations\(pruned))",
      "longest linearizable prefix (\(linearizedPrefix.count) operations):",
    ]
    let hidden = max(0, linearizedPrefix.count - Self.shownPrefixLength)
    if hidden > 0 { lines.append("  ... \(hidden) earlier operations") }
    for (position, operation) in linearizedPrefix.enumerated().dropFirst(hidden) {
      lines.append("  \(position + 1). \(operation)")
    }
    lines.append("state after the prefix: \(stateAfterPrefix)")
    lines.append(
      "one of these must come next, before client \(deadline.client)'s \(deadline.text) "
        + "returns at \(deadline.returnTime.map { "\($0)" } ?? "∞"), "
        + "but each is illegal in that state:")
    lines += unplaced.map { "  \($0)" }
    return lines.joined(separator: "\n")
  }
}
