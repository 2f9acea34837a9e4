import ArgumentParser
import Client
import Foundation

/// `tinykv-ctl txn ...`: one-key Percolator transactions.
struct TxnCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "txn",
    abstract: "Read and write keys in transactions (snapshot isolation, versioned).",
    discussion: """
      Each command is one transaction. Timestamps come from the scheduler's TSO with \
      --scheduler, otherwise from a local hybrid clock (physical_ms << 18 | logical), which \
      is enough for one client of a standalone store. Locks left by crashed transactions are resolved on the way: \
      rolled back once their TTL has passed, or committed if their primary committed.
      """,
    subcommands: [Get.self, Put.self, Delete.self, Scan.self])

  /// Options every txn command takes.
  struct Options: ParsableArguments {
    @Option(help: "Address of the store (host:port).")
    var addr = "127.0.0.1:20160"

    @Option(
      help: "Address of the scheduler whose TSO gives the timestamps (default: a local clock).")
    var scheduler: String?

    @OptionGroup var format: ByteOptions

    /// Runs `body` with a transaction client connected to the store.
    func withClient<T: Sendable>(
      _ body: (TxnClient<GRPCTxnRPC, HybridClock>) async throws -> T
    ) async throws -> T {
      let endpoint: HostAndPort
      do { endpoint = try HostAndPort(parsing: addr) } catch {
        throw ValidationError("--addr: \(error)")
      }
      return try await GRPCTxnRPC.connect(to: endpoint) { rpc in
        try await body(TxnClient(rpc: rpc, oracle: HybridClock()))
      }
    }
  }

  struct Get: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print the value of a key in a fresh snapshot.",
      discussion: "Exits with status 1 and prints nothing on stdout if the key has no value.")

    @OptionGroup var options: Options
    @Argument(help: "The key.") var key: String

    func run() async throws {
      let key = try options.format.bytes(key)
      let value = try await options.withClient { client in
        try await client.begin().get(key)
      }
      try options.format.printFound(value)
    }
  }

  struct Put: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Set a key to a value in one transaction; prints the commit timestamp on stderr.")

    @OptionGroup var options: Options
    @Argument(help: "The key.") var key: String
    @Argument(help: "The value.") var value: String

    func run() async throws {
      let key = try options.format.bytes(key)
      let value = try options.format.bytes(value)
      let commitTS = try await options.withClient { client in
        let txn = try await client.begin()
        txn.put(key, value)
        return try await txn.commit()
      }
      FileHandle.standardError.write(Data("committed at \(commitTS)\n".utf8))
    }
  }

  struct Delete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Delete a key in one transaction (succeeds if it has no value).")

    @OptionGroup var options: Options
    @Argument(help: "The key.") var key: String

    func run() async throws {
      let key = try options.format.bytes(key)
      let commitTS = try await options.withClient { client in
        let txn = try await client.begin()
        txn.delete(key)
        return try await txn.commit()
      }
      FileHandle.standardError.write(Data("committed at \(commitTS)\n".utf8))
    }
  }

  struct Scan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print pairs of a fresh snapshot in key order, one \"key: value\" per line.")

    @OptionGroup var options: Options
    @Argument(help: "The first key to print (default: the smallest).") var start: String = ""
    @Option(help: "The most pairs to print.") var limit: UInt32 = 100

    func run() async throws {
      let start = try options.format.bytes(start)
      let pairs = try await options.withClient { client in
        try await client.begin().scan(from: start, limit: limit)
      }
      for pair in pairs {
        print("\(options.format.show(pair.key)): \(options.format.show(pair.value))")
      }
    }
  }
}

/// The scheduler's TSO when one is given, else a local hybrid clock.
struct CtlClock: TimestampOracle {
  let scheduler: SchedulerClient?
  let local = HybridClock()

  func timestamp() async throws -> UInt64 {
    if let scheduler { return try await scheduler.timestamp() }
    return local.timestamp()
  }
}
