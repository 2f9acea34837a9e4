/// An operation on a key-value store with string keys and values (Porcupine's kv model).
public enum KVInput: Hashable, Sendable, Codable {
  /// Reads a key; the output is its value, `""` when the key was never written.
  case get(key: String)
  /// Replaces a key's value; the output is ignored (record `""`).
  case put(key: String, value: String)
  /// Appends to a key's value (to `""` when the key was never written); the output is ignored.
  case append(key: String, value: String)

  /// The key the operation touches.
  public var key: String {
    switch self {
    case .get(let key), .put(let key, _), .append(let key, _): key
    }
  }
}

/// The sequential specification of a key-value store with get, put and append, partitioned per
/// key: the state of each part is one key's value, and a missing key reads as `""`.
///
/// The output of every operation is a `String`: the value read for a get, ignored for put and
/// append.
public struct KVModel: Model {
  /// Creates the model.
  public init() {}

  public var initialState: String { "" }

  public func step(_ value: String, _ input: KVInput, _ output: String?) -> String? {
    switch input {
    case .get:
      guard let output else { return value }
      return output == value ? value : nil
    case .put(_, let newValue):
      return newValue
    case .append(_, let suffix):
      return value + suffix
    }
  }

  public func partitionKey(of input: KVInput) -> String { input.key }

  public func describe(_ input: KVInput, _ output: String?) -> String {
    switch input {
    case .get(let key):
      "get(\(key)) -> \(output.map { quoted($0) } ?? "?")"
    case .put(let key, let value):
      "put(\(key), \(quoted(value)))\(output == nil ? " -> ?" : "")"
    case .append(let key, let value):
      "append(\(key), \(quoted(value)))\(output == nil ? " -> ?" : "")"
    }
  }

  public func describe(_ value: String) -> String { quoted(value) }
}

/// A string in double quotes, for error reports.
func quoted(_ string: String) -> String { "\"\(string)\"" }
