import ArgumentParser
import Client

/// Options shared by every workload.
struct LoadOptions: ParsableArguments {
  @Option(help: "Address of the store (host:port; default 127.0.0.1:20160).")
  var addr: String?

  @Option(help: "Requests in flight at once.")
  var concurrency = 64

  @Option(help: "HTTP/2 connections the requests are spread over.")
  var connections = 4

  @Option(help: "Size of the key space: keys 0 ..< N.")
  var keys = 100_000

  @Option(help: "Bytes per key (at least 8).")
  var keySize = 16

  @Option(help: "Bytes per value.")
  var valueSize = 100

  @Option(help: "Seconds to run (ignored when --ops is given).")
  var duration: Double = 10

  @Option(help: "Stop after this many operations instead of after --duration.")
  var ops: Int?

  @Option(help: "Seed of the key and value choices (printed with the result).")
  var seed: UInt64 = 42

  @Option(help: "Write the result as JSON to this file.")
  var json: String?

  mutating func validate() throws {
    guard concurrency > 0 else { throw ValidationError("--concurrency must be positive") }
    guard connections > 0 else { throw ValidationError("--connections must be positive") }
    guard keys > 0 else { throw ValidationError("--keys must be positive") }
    guard keySize >= 8 else { throw ValidationError("--key-size must be at least 8") }
    guard valueSize >= 0 else { throw ValidationError("--value-size must not be negative") }
    guard duration > 0 else { throw ValidationError("--duration must be positive") }
    if let ops, ops <= 0 { throw ValidationError("--ops must be positive") }
    do { _ = try HostAndPort(parsing: addr ?? Self.defaultAddress) } catch {
      throw ValidationError("--addr: \(error)")
    }
  }

  static let defaultAddress = "127.0.0.1:20160"

  var endpoint: HostAndPort {
    // validate() has parsed it already.
    (try? HostAndPort(parsing: addr ?? Self.defaultAddress))
      ?? HostAndPort(host: "127.0.0.1", port: 20160)
  }

  var keySpace: KeySpace { KeySpace(count: keys, keySize: keySize, valueSize: valueSize) }

  var stop: LoadRunner.Stop {
    if let ops {
      .afterOperations(ops)
    } else {
      .afterDuration(.milliseconds(Int(duration * 1000)))
    }
  }
}
