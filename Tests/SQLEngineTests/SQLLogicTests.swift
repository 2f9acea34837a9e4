import Foundation
import Testing

/// The SQL corpus (Tests/SQLCorpus, its answers checked against a real MySQL-compatible
/// server) run through the engine in process: every record of every file.
@Suite struct SQLLogicTests {
  static var corpus: String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("SQLCorpus").path
  }

  static var files: [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: corpus)) ?? [])
      .filter { $0.hasSuffix(".test") }.sorted()
  }

  @Test("corpus file", arguments: files)
  func corpusFile(_ name: String) async throws {
    let db = try SQLTestDatabase()
    let file = try SQLLogicFile(path: "\(Self.corpus)/\(name)")
    let failures = await SQLLogicRunner.run(file, on: db)
    #expect(failures.isEmpty, "\(failures.count) of \(file.records.count) records failed:\n\(failures.prefix(15).map(\.description).joined(separator: "\n"))")
  }
}
