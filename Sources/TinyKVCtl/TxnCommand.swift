import ArgumentParser
import Client
import Foundation

/// `tinykv-ctl txn ...`: one-key Percolator transactions.
struct TxnCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "txn",
    abstract: "Read and write keys in transactions (snapshot isolation, versioned).",
    discussion: """
      Each command is one transaction. With --addr (the default, 127.0.0.1:20160) every \
      request goes to that one store and timestamps come from a local hybrid clock \
      (physical_ms << 18 | logical), enough for one client of a standalone store. With \
      --scheduler, requests are routed to the regions holding their keys and timestamps come \
      from the scheduler's TSO. Locks left by crashed transactions are resolved on the way: \
      rolled back once their TTL has passed, or committed if their primary committed.
      """,
    subcommands: [Get.self, Put.self, Delete.self, Scan.self])

  /// Options every txn command takes.
  struct Options: ParsableArguments {
    @OptionGroup var target: TargetOptions

    @OptionGroup var format: ByteOptions

    /// Runs `work` on a client of the store (`--addr`) or of the cluster (`--scheduler`).
    func run<Work: TxnWork>(_ work: Work) async throws -> Work.Output {
      switch try target.target() {
      case .scheduler(let scheduler):
        try await ClusterTxnClient.connect(scheduler: scheduler) { try await work.run($0) }
      case .store(let store):
        try await GRPCTxnRPC.connect(to: store) { rpc in
          try await work.run(TxnClient(rpc: rpc, oracle: HybridClock()))
        }
      }
    }
  }

  struct Get: AsyncParsableCommand, TxnWork {
    static let configuration = CommandConfiguration(
      abstract: "Print the value of a key in a fresh snapshot.",
      discussion: "Exits with status 1 and prints nothing on stdout if the key has no value.")

    @OptionGroup var options: Options
    @Argument(help: "The key.") var key: String

    func run() async throws {
      try options.format.printFound(try await options.run(self))
    }

    func run<Router, Oracle>(_ client: TxnClient<Router, Oracle>) async throws -> Data? {
      try await client.begin().get(try options.format.bytes(key))
    }
  }

  struct Put: AsyncParsableCommand, TxnWork {
    static let configuration = CommandConfiguration(
      abstract: "Set a key to a value in one transaction; prints the commit timestamp on stderr.")

    @OptionGroup var options: Options
    @Argument(help: "The key.") var key: String
    @Argument(help: "The value.") var value: String

    func run() async throws {
      printCommitted(try await options.run(self))
    }

    func run<Router, Oracle>(_ client: TxnClient<Router, Oracle>) async throws -> UInt64 {
      let txn = try await client.begin()
      txn.put(try options.format.bytes(key), try options.format.bytes(value))
      return try await txn.commit()
    }
  }

  struct Delete: AsyncParsableCommand, TxnWork {
    static let configuration = CommandConfiguration(
      abstract: "Delete a key in one transaction (succeeds if it has no value).")

    @OptionGroup var options: Options
    @Argument(help: "The key.") var key: String

    func run() async throws {
      printCommitted(try await options.run(self))
    }

    func run<Router, Oracle>(_ client: TxnClient<Router, Oracle>) async throws -> UInt64 {
      let txn = try await client.begin()
      txn.delete(try options.format.bytes(key))
      return try await txn.commit()
    }
  }

  struct Scan: AsyncParsableCommand, TxnWork {
    static let configuration = CommandConfiguration(
      abstract: "Print pairs of a fresh snapshot in key order, one \"key: value\" per line.")

    @OptionGroup var options: Options
    @Argument(help: "The first key to print (default: the smallest).") var start: String = ""
    @Option(help: "The key to stop before (default: no bound).") var end: String = ""
    @Option(help: "The most pairs to print.") var limit: UInt32 = 100

    func run<Router, Oracle>(
      _ client: TxnClient<Router, Oracle>
    ) async throws -> [(key: Data, value: Data)] {
      try await client.begin().scan(
        from: try options.format.bytes(start), to: try options.format.bytes(end), limit: limit)
    }

    func run() async throws {
      for pair in try await options.run(self) {
        print("\(options.format.show(pair.key)): \(options.format.show(pair.value))")
      }
    }
  }
}

/// What a `txn` command does with a client, whichever kind `--addr` or `--scheduler` gives.
protocol TxnWork {
  associatedtype Output: Sendable
  func run<Router: TxnRouting, Oracle: TimestampOracle>(
    _ client: TxnClient<Router, Oracle>
  ) async throws -> Output
}

/// Reports a write's commit timestamp on stderr.
func printCommitted(_ commitTS: UInt64) {
  FileHandle.standardError.write(Data("committed at \(commitTS)\n".utf8))
}
