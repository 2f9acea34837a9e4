/// One operation of a concurrent history, as the checker sees it: who called what, when, and
/// what came back.
///
/// Times are in any unit that only increases (nanoseconds of a monotonic clock, or logical ticks),
/// shared by all clients. An operation `a` precedes `b` in real time when `a` returned strictly
/// before `b` was called; operations that share an instant overlap.
public struct ClientOperation<Input, Output> {
  /// The client (thread, connection) that performed the operation.
  public var client: Int
  /// What the client asked for.
  public var input: Input
  /// When the client called.
  public var call: UInt64
  /// What came back, and when.
  public var completion: Completion<Output>

  /// Creates an operation.
  public init(client: Int, input: Input, call: UInt64, completion: Completion<Output>) {
    self.client = client
    self.input = input
    self.call = call
    self.completion = completion
  }

  /// The answer, or `nil` when the outcome is unknown.
  public var output: Output? {
    switch completion {
    case .returned(let output, _): output
    case .unknown: nil
    }
  }

  /// When the answer came back, or `nil` when the outcome is unknown.
  public var returnTime: UInt64? {
    switch completion {
    case .returned(_, let time): time
    case .unknown: nil
    }
  }
}

/// How an operation ended, from the client's point of view.
public enum Completion<Output> {
  /// The object answered `output` at time `at` (a return before the call is read as the call).
  case returned(Output, at: UInt64)
  /// The client never learned the outcome (timeout, broken connection, crash): the operation may
  /// have taken effect at any time after its call, or never. Operations known to have failed
  /// (had no effect) are not operations at all: leave them out of the history.
  case unknown
}

extension ClientOperation: Sendable where Input: Sendable, Output: Sendable {}
extension ClientOperation: Equatable where Input: Equatable, Output: Equatable {}
extension Completion: Sendable where Output: Sendable {}
extension Completion: Equatable where Output: Equatable {}
