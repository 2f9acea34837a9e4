/// The scope a system variable is read or set in.
public enum VariableScope: String, Sendable, Hashable {
  /// `GLOBAL`, `@@global.`.
  case global = "GLOBAL"
  /// `SESSION`, `LOCAL`, `@@session.`, `@@local.`.
  case session = "SESSION"
}

/// A variable: a user variable (`@name`) or a system variable (`@@name`). Names are
/// lower-cased, since MySQL compares both kinds case-insensitively.
public enum Variable: Sendable, Hashable, CustomStringConvertible {
  /// `@name`.
  case user(String)
  /// `@@name`, or `name` in `SET`; `scope` is nil when none was written (MySQL then reads the
  /// session value and, in `SET`, sets it).
  case system(String, scope: VariableScope?)

  /// The variable as SQL: `` @`name` ``, `` @@session.`name` ``.
  public var description: String {
    switch self {
    case .user(let name):
      "@" + Quoting.identifier(name)
    case .system(let name, let scope):
      "@@" + (scope.map { $0.rawValue.lowercased() + "." } ?? "") + Quoting.identifier(name)
    }
  }
}
