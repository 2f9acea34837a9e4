import Foundation

/// A stable text form of a recorded history, to save a failing history and replay it: JSON lines,
/// one ``HistoryRecord`` per line with sorted keys.
public enum HistoryFile {
  /// Encodes records, one JSON object per line.
  /// - Throws: `EncodingError` if an input or output cannot be encoded.
  public static func encode<Input: Codable, Output: Codable>(
    _ records: [HistoryRecord<Input, Output>]
  ) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return try records.map { String(decoding: try encoder.encode($0), as: UTF8.self) + "\n" }
      .joined()
  }

  /// Decodes what ``encode(_:)`` wrote; blank lines are skipped.
  /// - Throws: ``HistoryFileError`` naming the first line that does not decode.
  public static func decode<Input: Codable, Output: Codable>(
    _ text: String, as type: HistoryRecord<Input, Output>.Type = HistoryRecord<Input, Output>.self
  ) throws -> [HistoryRecord<Input, Output>] {
    let decoder = JSONDecoder()
    var records: [HistoryRecord<Input, Output>] = []
    for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
    where !line.allSatisfy(\.isWhitespace) {
      do {
        records.append(try decoder.decode(type, from: Data(line.utf8)))
      } catch {
        throw HistoryFileError(line: index + 1, cause: error)
      }
    }
    return records
  }

  /// Writes records to a file, replacing it.
  /// - Throws: An encoding or file-system error.
  public static func write<Input: Codable, Output: Codable>(
    _ records: [HistoryRecord<Input, Output>], to url: URL
  ) throws {
    try Data(encode(records).utf8).write(to: url, options: .atomic)
  }

  /// Reads records from a file written by ``write(_:to:)``.
  /// - Throws: A file-system error, or ``HistoryFileError`` for a line that does not decode.
  public static func read<Input: Codable, Output: Codable>(
    from url: URL, as type: HistoryRecord<Input, Output>.Type = HistoryRecord<Input, Output>.self
  ) throws -> [HistoryRecord<Input, Output>] {
    try decode(String(decoding: Data(contentsOf: url), as: UTF8.self), as: type)
  }
}

/// A line of a history file that does not decode.
public struct HistoryFileError: Error, CustomStringConvertible {
  /// The line's number, from 1.
  public var line: Int
  /// The decoder's error.
  public var cause: any Error

  public var description: String { "history file line \(line): \(cause)" }
}
