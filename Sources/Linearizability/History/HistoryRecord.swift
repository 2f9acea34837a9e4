/// Identifies one invocation in a ``History``.
public struct OperationID: Hashable, Sendable, Codable {
  /// The invocation's position in the history.
  public let rawValue: Int

  /// Wraps a position.
  public init(rawValue: Int) { self.rawValue = rawValue }
}

/// How a client saw an operation end.
public enum OperationResult<Output> {
  /// The operation took effect and answered `output`.
  case ok(Output)
  /// The operation certainly did not take effect (for example, the server rejected it before
  /// doing anything); the checker leaves it out.
  case failed
  /// The client cannot know whether the operation took effect (timeout, broken connection).
  case unknown
}

/// When and how an invocation completed.
public struct RecordedCompletion<Output> {
  /// How it ended.
  public var result: OperationResult<Output>
  /// When the client learned it.
  public var time: UInt64

  /// Creates a completion.
  public init(result: OperationResult<Output>, time: UInt64) {
    self.result = result
    self.time = time
  }
}

/// One invocation as a ``History`` recorded it.
public struct HistoryRecord<Input, Output> {
  /// The invocation's identity: its position in the history.
  public var id: OperationID
  /// The client that invoked it.
  public var client: Int
  /// What the client asked for.
  public var input: Input
  /// When the client invoked it.
  public var call: UInt64
  /// How it ended, or `nil` while it is still pending (read as an unknown outcome).
  public var completion: RecordedCompletion<Output>?

  /// Creates a record.
  public init(
    id: OperationID, client: Int, input: Input, call: UInt64,
    completion: RecordedCompletion<Output>?
  ) {
    self.id = id
    self.client = client
    self.input = input
    self.call = call
    self.completion = completion
  }

  /// The operation the checker sees: `nil` when it failed for sure, an unknown outcome when it
  /// is still pending or ended unknown.
  public var operation: ClientOperation<Input, Output>? {
    let ending: Completion<Output>
    switch completion.map({ ($0.result, $0.time) }) {
    case (.ok(let output), let time)?: ending = .returned(output, at: time)
    case (.failed, _)?: return nil
    case (.unknown, _)?, nil: ending = .unknown
    }
    return ClientOperation(client: client, input: input, call: call, completion: ending)
  }
}

extension Array {
  /// The operations of a recorded history, for ``LinearizabilityChecker/check(_:)``.
  public func operations<Input, Output>() -> [ClientOperation<Input, Output>]
  where Element == HistoryRecord<Input, Output> {
    compactMap(\.operation)
  }
}

extension OperationResult: Sendable where Output: Sendable {}
extension OperationResult: Equatable where Output: Equatable {}
extension OperationResult: Codable where Output: Codable {}
extension RecordedCompletion: Sendable where Output: Sendable {}
extension RecordedCompletion: Equatable where Output: Equatable {}
extension RecordedCompletion: Codable where Output: Codable {}
extension HistoryRecord: Sendable where Input: Sendable, Output: Sendable {}
extension HistoryRecord: Equatable where Input: Equatable, Output: Equatable {}
extension HistoryRecord: Codable where Input: Codable, Output: Codable {}
