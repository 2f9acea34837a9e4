/// One step of a failpoint's behaviour, in fail-rs's syntax:
/// `[<percent>%][<count>*]<task>[(<argument>)]`, steps chained with `->`.
///
/// Tasks: `off` (nothing), `return` (the code at the point takes its failure path, with the
/// optional argument), `sleep(ms)` and `delay(ms)` (wait, then go on), `pause` (wait until the
/// failpoint is changed or removed), `print(text)` (to standard error), `panic(text)` (the
/// process dies at once, as on a crash: nothing is flushed or closed).
///
/// A step with a count applies that many times, then the next step takes over; a step with a
/// percentage applies on that share of evaluations (the rest do nothing and do not use up the
/// count).
struct FailAction: Equatable, Sendable {
  enum Task: Equatable, Sendable {
    case off
    case returnValue(String?)
    case sleep(milliseconds: Int)
    case pause
    case print(String)
    case panic(String)
  }

  var task: Task
  /// Percent of evaluations the step applies on (100 when not given).
  var percent: Int = 100
  /// Remaining applications, or nil for unlimited.
  var remaining: Int?

  /// Parses a chain such as `50%2*return(x)->sleep(10)`.
  /// - Throws: `FailpointError` naming the part that cannot be read.
  static func parseChain(_ text: String) throws -> [FailAction] {
    try text.split(separator: "->", omittingEmptySubsequences: false).map {
      try parse($0.trimmingCharacters(in: .whitespaces))
    }
  }

  private static func parse(_ text: String) throws -> FailAction {
    var rest = Substring(text)
    var action = FailAction(task: .off)
    if let sign = rest.firstIndex(of: "%") {
      guard let percent = Int(rest[..<sign]), (0...100).contains(percent) else {
        throw FailpointError("bad percentage in \"\(text)\"")
      }
      action.percent = percent
      rest = rest[rest.index(after: sign)...]
    }
    if let star = rest.firstIndex(of: "*") {
      guard let count = Int(rest[..<star]), count >= 0 else {
        throw FailpointError("bad count in \"\(text)\"")
      }
      action.remaining = count
      rest = rest[rest.index(after: star)...]
    }
    var name = rest
    var argument: String?
    if let open = rest.firstIndex(of: "(") {
      guard rest.hasSuffix(")") else { throw FailpointError("unclosed \"(\" in \"\(text)\"") }
      name = rest[..<open]
      argument = String(rest[rest.index(after: open)..<rest.index(before: rest.endIndex)])
    }
    func milliseconds() throws -> Int {
      guard let argument, let value = Int(argument), value >= 0 else {
        throw FailpointError("\(name) needs milliseconds, as in \(name)(10), in \"\(text)\"")
      }
      return value
    }
    switch name {
    case "off": action.task = .off
    case "return": action.task = .returnValue(argument)
    case "sleep", "delay": action.task = .sleep(milliseconds: try milliseconds())
    case "pause": action.task = .pause
    case "print": action.task = .print(argument ?? "")
    case "panic": action.task = .panic(argument ?? "")
    default:
      throw FailpointError(
        "unknown task \"\(name)\" in \"\(text)\"; expected off, return, sleep, delay, pause, "
          + "print or panic")
    }
    return action
  }
}

/// A failpoint configuration that cannot be read.
public struct FailpointError: Error, CustomStringConvertible {
  /// What is wrong.
  public var description: String
  init(_ description: String) { self.description = description }
}
