/// An operation on a single integer register.
public enum RegisterInput: Hashable, Sendable, Codable {
  /// Reads the register; the output is ``RegisterOutput/read(_:)``.
  case read
  /// Replaces the value; the output is ``RegisterOutput/written``.
  case write(Int)
  /// Replaces the value with `new` if it equals `expected`; the output is
  /// ``RegisterOutput/compareAndSet(succeeded:)``.
  case compareAndSet(expected: Int, new: Int)
}

/// What a register answered.
public enum RegisterOutput: Hashable, Sendable, Codable {
  /// The value a read returned.
  case read(Int)
  /// A write completed.
  case written
  /// Whether a compare-and-set replaced the value.
  case compareAndSet(succeeded: Bool)
}

/// The sequential specification of one integer register with read, write and compare-and-set.
public struct RegisterModel: Model {
  /// The register's value before any write.
  public var initialValue: Int

  /// Creates the model of a register that starts at `initialValue`.
  public init(initialValue: Int = 0) { self.initialValue = initialValue }

  public var initialState: Int { initialValue }

  public func step(_ value: Int, _ input: RegisterInput, _ output: RegisterOutput?) -> Int? {
    switch (input, output) {
    case (.read, nil):
      return value
    case (.read, .read(let read)?):
      return read == value ? value : nil
    case (.write(let new), nil), (.write(let new), .written?):
      return new
    case (.compareAndSet(let expected, let new), nil):
      return value == expected ? new : value
    case (.compareAndSet(let expected, let new), .compareAndSet(let succeeded)?):
      guard succeeded == (value == expected) else { return nil }
      return succeeded ? new : value
    default:
      return nil
    }
  }

  public func describe(_ input: RegisterInput, _ output: RegisterOutput?) -> String {
    let call =
      switch input {
      case .read: "read"
      case .write(let value): "write(\(value))"
      case .compareAndSet(let expected, let new): "cas(\(expected), \(new))"
      }
    let answer =
      switch output {
      case nil: "?"
      case .read(let value)?: "\(value)"
      case .written?: "ok"
      case .compareAndSet(let succeeded)?: succeeded ? "swapped" : "unchanged"
      }
    return "\(call) -> \(answer)"
  }
}
