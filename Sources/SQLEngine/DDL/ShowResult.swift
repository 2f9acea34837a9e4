import Coprocessor
import SQLParser

/// The answer of a `SHOW` statement: named columns, text or numbers, and rows, filtered by the
/// statement's `LIKE` (on the first column, case-insensitively, as MySQL's lists) or `WHERE`
/// (over the result's columns, by name).
struct ShowResult {
  /// A column: its name, and whether it holds numbers (else text).
  struct Column {
    var name: String
    var numeric = false
  }

  var columns: [Column]
  var rows: [[Datum]]

  init(columns: [Column], rows: [[Datum]]) {
    self.columns = columns
    self.rows = rows
  }

  /// A result of text columns named `names`.
  init(text names: [String], rows: [[String?]]) {
    columns = names.map { Column(name: $0) }
    self.rows = rows.map { $0.map(Self.text) }
  }

  /// `value` as a text datum (NULL for nil).
  static func text(_ value: String?) -> Datum {
    value.map { .bytes(Array($0.utf8)) } ?? .null
  }

  /// The result set: text columns as `VARCHAR`, numbers as `BIGINT`.
  var result: StatementResult {
    .rows(
      columns: columns.map { column in
        ResultColumn(
          name: column.name, table: "", originalTable: "", originalName: "", database: "",
          type: column.numeric ? FieldType(.longlong) : FieldType(.varString))
      }, rows: rows)
  }

  /// The rows `filter` keeps. `WHERE` compiles in `context` (nil only for the statements
  /// without a filter).
  func filtered(by filter: ShowFilter?, in context: ExecutionContext?) async throws -> ShowResult {
    var kept = self
    switch filter {
    case nil:
      return self
    case .like(let pattern):
      kept.rows = rows.filter { row in
        guard case .bytes(let bytes)? = row.first else { return false }
        return LikePattern(pattern).matches(String(decoding: bytes, as: UTF8.self))
      }
    case .where(let condition):
      guard let context else { throw SQLError.unsupported("WHERE in this SHOW") }
      let schema = PlanSchema(
        columns: columns.map { column in
          PlanColumn(
            name: column.name,
            type: column.numeric ? FieldType(.longlong) : FieldType(.varString))
        })
      let compiled = try await ExpressionCompiler(
        schema: schema, session: context, clause: "where clause"
      ).compile(condition)
      let evaluator = try compiled.evaluator(width: columns.count)
      kept.rows = try rows.filter { try evaluator.holds($0) }
    }
    return kept
  }
}

/// A pattern of MySQL's `LIKE`, matched case-insensitively: `%` any run of characters, `_`
/// one character, `\` makes the next one literal.
struct LikePattern {
  /// One element of the pattern.
  private enum Element: Equatable {
    case character(Character)
    case one
    case any
  }

  private let elements: [Element]

  init(_ pattern: String) {
    var elements: [Element] = []
    var characters = Array(pattern.lowercased())[...]
    while let character = characters.popFirst() {
      switch character {
      case "%": elements.append(.any)
      case "_": elements.append(.one)
      case "\\": elements.append(.character(characters.popFirst() ?? "\\"))
      default: elements.append(.character(character))
      }
    }
    self.elements = elements
  }

  /// Whether `text` matches, by the usual backtracking on the last `%`.
  func matches(_ text: String) -> Bool {
    let text = Array(text.lowercased())
    var t = 0
    var p = 0
    var star: (pattern: Int, text: Int)?
    while t < text.count {
      if p < elements.count {
        switch elements[p] {
        case .any:
          star = (p, t)
          p += 1
          continue
        case .one:
          t += 1
          p += 1
          continue
        case .character(let character) where character == text[t]:
          t += 1
          p += 1
          continue
        case .character:
          break
        }
      }
      guard let last = star else { return false }
      star = (last.pattern, last.text + 1)
      p = last.pattern + 1
      t = last.text + 1
    }
    return elements[p...].allSatisfy { $0 == .any }
  }
}
