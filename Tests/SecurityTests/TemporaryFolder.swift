import Foundation
import TestSupport

/// A fresh folder (`TemporaryDirectory`), removed after `body`.
func withTemporaryFolder<T>(_ body: (URL) async throws -> T) async throws -> T {
  let folder = try TemporaryDirectory("security")
  let result = try await body(URL(fileURLWithPath: folder.path))
  withExtendedLifetime(folder) {}
  return result
}
