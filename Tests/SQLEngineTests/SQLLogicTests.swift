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

  /// Records this server answers differently from MySQL, and why (Tests/SQLCorpus/known-gaps.txt,
  /// shared with the wire runner); each must still fail, so a fix shows up here.
  static var knownGaps: [String: String] {
    let text = (try? String(contentsOfFile: "\(corpus)/known-gaps.txt", encoding: .utf8)) ?? ""
    var gaps: [String: String] = [:]
    for line in text.split(separator: "\n") where !line.hasPrefix("#") {
      let parts = line.split(separator: " ", maxSplits: 1)
      if let key = parts.first { gaps[String(key)] = parts.count > 1 ? String(parts[1]) : "" }
    }
    return gaps
  }

  @Test("corpus file", arguments: files)
  func corpusFile(_ name: String) async throws {
    let db = try SQLTestDatabase()
    let file = try SQLLogicFile(path: "\(Self.corpus)/\(name)")
    let failures = await SQLLogicRunner.run(file, on: db)
    let gaps = Self.knownGaps
    #expect(!gaps.isEmpty, "Tests/SQLCorpus/known-gaps.txt is missing")
    let unexpected = failures.filter { gaps["\($0.file):\($0.line)"] == nil }
    #expect(
      unexpected.isEmpty,
      "\(unexpected.count) of \(file.records.count) records failed:\n\(unexpected.prefix(15).map(\.description).joined(separator: "\n"))"
    )
    let failed = Set(failures.map { "\($0.file):\($0.line)" })
    for gap in gaps.keys where gap.hasPrefix(name + ":") {
      #expect(failed.contains(gap), "\(gap) passes now: take it off the known gaps")
    }
  }
}
