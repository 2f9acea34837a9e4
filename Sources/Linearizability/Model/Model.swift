/// A sequential specification: what a single copy of the object would do, one operation at a time.
///
/// The checker asks whether some total order of a concurrent history, consistent with real time,
/// is a legal sequence of ``step(_:_:_:)``s from ``initialState``.
///
/// A model may split a history into independent parts (``partitionKey(of:)``), as Porcupine and
/// Herlihy & Wing's locality (P-compositionality) allow: a history is linearizable exactly when
/// each part is, and checking many small parts is far cheaper than one large one. A model that
/// partitions gives each part its own ``initialState``.
public protocol Model: Sendable {
  /// The object's state; the checker memoises states it has visited, so it must be hashable.
  associatedtype State: Hashable
  /// What a client asked for.
  associatedtype Input
  /// What the object answered.
  associatedtype Output
  /// Names one independent part of the history (a key, for a key-value store).
  associatedtype PartitionKey: Hashable = SinglePartition

  /// The state before any operation (of each part, when the model partitions).
  var initialState: State { get }

  /// Applies one operation to a state.
  ///
  /// - Parameters:
  ///   - state: The state before the operation.
  ///   - input: The operation.
  ///   - output: What the object answered, or `nil` when the outcome is unknown (the client timed
  ///     out or lost its connection); any answer is then acceptable, but the operation still
  ///     takes effect if it is linearized.
  /// - Returns: The state after the operation, or `nil` when `output` is not a legal answer to
  ///   `input` in `state`.
  func step(_ state: State, _ input: Input, _ output: Output?) -> State?

  /// The part of the history an operation belongs to; operations in different parts must
  /// commute (by default every operation is in one part).
  func partitionKey(of input: Input) -> PartitionKey

  /// A one-line description of an operation for error reports, such as `put(k1, "a")`.
  func describe(_ input: Input, _ output: Output?) -> String

  /// A short description of a state for error reports.
  func describe(_ state: State) -> String

  /// The operations of one partition that the checker may leave out before its search: ones
  /// with unknown outcome that no linearization needs, such as writes whose value no read
  /// returned. The default leaves out nothing.
  ///
  /// Return only operations such that any linearization of the partition stays one once all of
  /// them are taken out (with, if need be, other operations with unknown outcome). The checker
  /// keeps every operation with a known outcome whatever this returns, so pruning can never
  /// hide a violation (an operation with unknown outcome may always be left unplaced); a wrong
  /// answer here can only make a linearizable history fail the check.
  ///
  /// - Parameter partition: The operations of one partition, as given to the checker.
  /// - Returns: Positions in `partition`.
  func prunableOperations(in partition: [ClientOperation<Input, Output>]) -> Set<Int>
}

/// The only part of a history whose model does not partition it.
public struct SinglePartition: Hashable, Sendable, CustomStringConvertible {
  /// Creates the partition key.
  public init() {}

  public var description: String { "all operations" }
}

extension Model where PartitionKey == SinglePartition {
  /// Puts every operation in one part.
  public func partitionKey(of input: Input) -> SinglePartition { SinglePartition() }
}

extension Model {
  /// Describes an operation as its input, an arrow and its output (`?` when unknown).
  public func describe(_ input: Input, _ output: Output?) -> String {
    "\(input) -> \(output.map { "\($0)" } ?? "?")"
  }

  /// Describes a state with `String(describing:)`.
  public func describe(_ state: State) -> String { "\(state)" }

  /// Leaves out nothing.
  public func prunableOperations(in partition: [ClientOperation<Input, Output>]) -> Set<Int> {
    []
  }
}
