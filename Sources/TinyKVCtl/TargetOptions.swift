import ArgumentParser
import Client

/// Where a data command goes: one store (`--addr`) or a cluster through its scheduler
/// (`--scheduler`), which exclude each other. `raw` and `txn` share it.
struct TargetOptions: ParsableArguments {
  /// What the flags name.
  enum Target {
    case store(HostAndPort)
    case scheduler(HostAndPort)
  }

  @Option(help: "Address of the one store to talk to (host:port; default 127.0.0.1:20160).")
  var addr: String?

  @Option(
    help: "Address of the scheduler (host:port): route each key to its region's leader.")
  var scheduler: String?

  func validate() throws {
    if addr != nil, scheduler != nil {
      throw ValidationError(
        "--addr and --scheduler exclude each other: give the one store or the scheduler")
    }
  }

  /// The scheduler if given, else the store (default 127.0.0.1:20160).
  /// - Throws: `ValidationError` naming the flag whose address does not parse.
  func target() throws -> Target {
    if let scheduler { return .scheduler(try Self.parse(scheduler, flag: "--scheduler")) }
    return .store(try Self.parse(addr ?? "127.0.0.1:20160", flag: "--addr"))
  }

  private static func parse(_ text: String, flag: String) throws -> HostAndPort {
    do { return try HostAndPort(parsing: text) } catch {
      throw ValidationError("\(flag): \(error)")
    }
  }
}
