import ArgumentParser
import Client
import Foundation

/// `tinykv-ctl raw ...`: the raw key-value API.
struct RawCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "raw",
    abstract: "Read and write raw keys (no transactions, no versions).",
    discussion: """
      With --addr (the default, 127.0.0.1:20160) every request goes to that one store. With \
      --scheduler, requests are routed across the cluster: the scheduler says which region \
      holds a key and which store leads it, and scans continue from region to region.
      """,
    subcommands: [Get.self, Put.self, Delete.self, Scan.self])

  /// Options every raw command takes.
  struct Options: ParsableArguments {
    @OptionGroup var target: TargetOptions

    @Option(help: "Column family: default, lock or write.")
    var cf = "default"

    @OptionGroup var format: ByteOptions

    /// Runs `body` with a client of the store (`--addr`) or of the cluster (`--scheduler`).
    func withClient<T: Sendable>(
      _ body: (any RawKeyValueClient) async throws -> T
    ) async throws -> T {
      switch try target.target() {
      case .scheduler(let scheduler): try await ClusterRawClient.connect(scheduler: scheduler, body)
      case .store(let store): try await RawKVClient.connect(to: store, body)
      }
    }
  }

  struct Get: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print the value of a key.",
      discussion: "Exits with status 1 and prints nothing on stdout if the key has no value.")

    @OptionGroup var options: Options
    @Argument(help: "The key.") var key: String

    func run() async throws {
      let key = try options.format.bytes(key)
      let value = try await options.withClient { try await $0.get(key, cf: options.cf) }
      try options.format.printFound(value)
    }
  }

  struct Put: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Set a key to a value (durable when the command returns).")

    @OptionGroup var options: Options
    @Argument(help: "The key.") var key: String
    @Argument(help: "The value.") var value: String

    func run() async throws {
      let key = try options.format.bytes(key)
      let value = try options.format.bytes(value)
      try await options.withClient { try await $0.put(key, value, cf: options.cf) }
    }
  }

  struct Delete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Remove a key (succeeds if it has no value).")

    @OptionGroup var options: Options
    @Argument(help: "The key.") var key: String

    func run() async throws {
      let key = try options.format.bytes(key)
      try await options.withClient { try await $0.delete(key, cf: options.cf) }
    }
  }

  struct Scan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print pairs in key order, one \"key: value\" per line.")

    @OptionGroup var options: Options
    @Argument(help: "The first key to print (default: the smallest).") var start: String = ""
    @Option(help: "Stop before this key (default: no bound).") var end: String = ""
    @Option(help: "The most pairs to print.") var limit: UInt32 = 100

    func run() async throws {
      let start = try options.format.bytes(start)
      let end = try options.format.bytes(end)
      let pairs = try await options.withClient {
        try await $0.scan(from: start, to: end, limit: limit, cf: options.cf)
      }
      for pair in pairs {
        print("\(options.format.show(pair.key)): \(options.format.show(pair.value))")
      }
    }
  }
}
