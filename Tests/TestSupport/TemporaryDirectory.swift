import Foundation

/// A fresh folder under the system's temporary directory, removed when the value is released.
public final class TemporaryDirectory: Sendable {
  public let path: String

  /// Creates `tinykv-<label>-<random>` under the temporary directory.
  public init(_ label: String = "test") throws {
    let base = FileManager.default.temporaryDirectory.path
    path = "\(base)/tinykv-\(label)-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  /// `name` inside the folder.
  public func appending(_ name: String) -> String { "\(path)/\(name)" }

  deinit { try? FileManager.default.removeItem(atPath: path) }
}
