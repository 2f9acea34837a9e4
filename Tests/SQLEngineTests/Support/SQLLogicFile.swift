import Foundation

/// A file of the SQL corpus (Tests/SQLCorpus/README.md): statements that must succeed or fail
/// with a given MySQL error code, and queries with their expected rows.
struct SQLLogicFile {
  /// One record of the file.
  struct Record {
    enum Expectation {
      case ok
      case error(UInt16)
      /// The column types (`I`, `T`, `R`), whether rows are compared sorted, and the rows.
      case rows(types: [Character], sorted: Bool, rows: [String])
    }

    var line: Int
    var sql: String
    var expectation: Expectation
  }

  let name: String
  let records: [Record]

  /// Parses the file at `path`.
  init(path: String) throws {
    name = (path as NSString).lastPathComponent
    let lines = try String(contentsOfFile: path, encoding: .utf8)
      .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var records: [Record] = []
    var i = 0
    func blank(_ line: String) -> Bool { line.trimmingCharacters(in: .whitespaces).isEmpty }
    while i < lines.count {
      let header = lines[i]
      if blank(header) || header.hasPrefix("#") {
        i += 1
        continue
      }
      let words = header.split(separator: " ").map(String.init)
      let start = i + 1
      i += 1
      var sql: [String] = []
      if words.first == "query" {
        while i < lines.count && lines[i] != "----" {
          sql.append(lines[i])
          i += 1
        }
        i += 1
        var rows: [String] = []
        while i < lines.count && !blank(lines[i]) {
          rows.append(lines[i])
          i += 1
        }
        let types = Array(words.count > 1 ? words[1] : "")
        records.append(
          Record(
            line: start, sql: sql.joined(separator: "\n"),
            expectation: .rows(
              types: types, sorted: words.count > 2 && words[2] == "rowsort", rows: rows)))
        continue
      }
      while i < lines.count && !blank(lines[i]) {
        sql.append(lines[i])
        i += 1
      }
      let expectation: Record.Expectation
      switch (words.first, words.count > 1 ? words[1] : "") {
      case ("statement", "ok"): expectation = .ok
      case ("statement", "error"):
        guard words.count > 2, let code = UInt16(words[2]) else {
          throw SQLLogicFileError("\(name):\(start - 1): statement error without a code")
        }
        expectation = .error(code)
      default:
        throw SQLLogicFileError("\(name):\(start - 1): unknown record \"\(header)\"")
      }
      records.append(
        Record(line: start, sql: sql.joined(separator: "\n"), expectation: expectation))
    }
    self.records = records
  }
}

/// A corpus file that does not parse.
struct SQLLogicFileError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
