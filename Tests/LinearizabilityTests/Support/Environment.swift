import Foundation

/// Reads test settings from the environment.
enum Environment {
  /// The integer value of the variable `name`, or `nil` when unset or not an integer.
  static func integer(_ name: String) -> Int? {
    ProcessInfo.processInfo.environment[name].flatMap { Int($0) }
  }
}
