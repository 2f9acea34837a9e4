/// A request the coprocessor cannot run as asked: an executor, function or type it does not
/// support, a malformed expression, an evaluation error (TiDB's overflow, say). It travels to
/// the client as `other_error`, never as a crash.
public struct CoprocessorError: Error, Equatable, CustomStringConvertible {
  /// What is wrong, for `other_error`.
  public let description: String

  /// An error saying `description`.
  public init(_ description: String) { self.description = description }
}
