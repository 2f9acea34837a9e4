/// Rows printed as left-aligned columns separated by two spaces, for people (scripts use
/// `--json`).
struct TextTable {
  private var rows: [[String]]

  /// A table with `header` as its first row.
  init(_ header: [String]) { rows = [header] }

  /// Adds a row (as many cells as the header).
  mutating func add(_ row: [String]) { rows.append(row) }

  /// The table as lines, without trailing spaces.
  var text: String {
    let columns = rows.map(\.count).max() ?? 0
    let widths = (0..<columns).map { column in
      rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0
    }
    return rows.map { row in
      row.enumerated().map { column, cell in
        column == row.count - 1
          ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
      }.joined(separator: "  ")
    }.joined(separator: "\n")
  }
}
