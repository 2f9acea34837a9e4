import Foundation
import TOMLKit

/// One table of a TOML configuration file, read key by key with typed accessors that name the
/// key in their errors. Every key read is remembered, so after reading, ``unknownKeys()`` lists
/// what the program does not know (a misspelt key is an error, not silently ignored).
///
/// ```swift
/// let file = try ConfigTable(contentsOf: "tinykv.toml")
/// let tick = try file.table("raftstore")?.duration("raft-base-tick-interval")
/// try file.rejectUnknownKeys()
/// ```
public final class ConfigTable {
  private let table: TOMLTable
  private let path: String
  private var used: Set<String> = []
  private var children: [ConfigTable] = []

  /// Parses `text`.
  /// - Throws: `ConfigError` naming the line of a syntax error.
  public convenience init(toml text: String) throws {
    do {
      self.init(try TOMLTable(string: text), path: "")
    } catch let error as TOMLParseError {
      throw ConfigError(
        "line \(error.source.begin.line), column \(error.source.begin.column): "
          + error.description)
    }
  }

  /// Reads and parses the file at `path`.
  /// - Throws: `ConfigError` if the file cannot be read or parsed.
  public convenience init(contentsOf path: String) throws {
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw ConfigError("cannot read \(path): \(error.localizedDescription)")
    }
    try self.init(toml: text)
  }

  private init(_ table: TOMLTable, path: String) {
    self.table = table
    self.path = path
  }

  /// A string value.
  public func string(_ key: String) throws -> String? {
    try value(key, "a string") { $0.string }
  }

  /// A list of strings (`["a", "b"]`); a single string is a list of one.
  public func strings(_ key: String) throws -> [String]? {
    try value(key, "a list of strings") { value in
      if let text = value.string { return [text] }
      guard let array = value.array else { return nil }
      var texts: [String] = []
      for element in array {
        guard let text = element.string else { return nil }
        texts.append(text)
      }
      return texts
    }
  }

  /// An integer value.
  public func int(_ key: String) throws -> Int? {
    try value(key, "an integer") { $0.int }
  }

  /// A boolean value.
  public func bool(_ key: String) throws -> Bool? {
    try value(key, "true or false") { $0.bool }
  }

  /// A duration: `"100ms"`, `"10s"`, `"5m"`, `"1h"`, or an integer of milliseconds.
  public func duration(_ key: String) throws -> Duration? {
    try value(key, "a duration such as \"100ms\", \"10s\" or \"5m\"") { value in
      if let millis = value.int { return millis >= 0 ? .milliseconds(millis) : nil }
      guard let text = value.string else { return nil }
      let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
      for (suffix, scale) in units where text.hasSuffix(suffix) {
        if let amount = Int64(text.dropLast(suffix.count)), amount >= 0 {
          return .milliseconds(amount * scale)
        }
      }
      return nil
    }
  }

  /// A size in bytes: `"64MiB"`, `"512KiB"`, `"1GiB"` (also `KB`, `MB`, `GB`, which mean the
  /// same binary units, as in TiKV's files), or an integer of bytes.
  public func bytes(_ key: String) throws -> Int? {
    try value(key, "a size such as \"64MiB\" or \"512KiB\"") { value in
      if let bytes = value.int { return bytes >= 0 ? bytes : nil }
      guard let text = value.string?.uppercased() else { return nil }
      let units: [(String, Int)] = [
        ("KIB", 1 << 10), ("MIB", 1 << 20), ("GIB", 1 << 30),
        ("KB", 1 << 10), ("MB", 1 << 20), ("GB", 1 << 30), ("B", 1),
      ]
      for (suffix, scale) in units where text.hasSuffix(suffix) {
        if let amount = Int(text.dropLast(suffix.count)), amount >= 0 {
          let (bytes, overflow) = amount.multipliedReportingOverflow(by: scale)
          return overflow ? nil : bytes
        }
      }
      return nil
    }
  }

  /// A sub-table (`[name]`).
  public func table(_ key: String) throws -> ConfigTable? {
    guard
      let table = try value(key, "a table", { $0.table }).map({
        ConfigTable($0, path: qualified(key))
      })
    else { return nil }
    children.append(table)
    return table
  }

  /// The keys present in this table or its sub-tables that were never read, fully qualified.
  public func unknownKeys() -> [String] {
    let childPaths = Set(children.map(\.path))
    let here = table.keys.filter { !used.contains($0) }.map(qualified)
    return (here + children.flatMap { $0.unknownKeys() }).filter { !childPaths.contains($0) }
      .sorted()
  }

  /// Throws if the file has keys that were not read.
  public func rejectUnknownKeys() throws {
    let unknown = unknownKeys()
    guard unknown.isEmpty else {
      throw ConfigError(
        "unknown setting\(unknown.count > 1 ? "s" : ""): "
          + unknown.joined(separator: ", "))
    }
  }

  private func qualified(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

  private func value<T>(
    _ key: String, _ expected: String, _ convert: (any TOMLValueConvertible) -> T?
  ) throws -> T? {
    used.insert(key)
    guard let raw = table[key] else { return nil }
    guard let value = convert(raw) else {
      throw ConfigError("\(qualified(key)) must be \(expected)")
    }
    return value
  }
}

/// A configuration file that cannot be used, with the reason.
public struct ConfigError: Error, CustomStringConvertible {
  /// What is wrong, naming the setting.
  public var description: String

  /// An error saying `description`.
  public init(_ description: String) { self.description = description }
}
