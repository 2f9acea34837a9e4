/// A request the coprocessor cannot run as asked: an executor, function or type it does not
/// support, a malformed expression, an evaluation error (TiDB's overflow, say). It travels to
/// the client as `other_error`, never as a crash.
public struct CoprocessorError: Error, Equatable, CustomStringConvertible {
  public let description: String

  public init(_ description: String) { self.description = description }
}
