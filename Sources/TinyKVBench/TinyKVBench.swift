import ArgumentParser

/// `tinykv-bench`: load generator for TinyKV stores.
@main
struct TinyKVBench: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tinykv-bench",
    abstract: "Measure a TinyKV store: throughput (ops/s) and latency percentiles.",
    discussion: """
      Run `load` first to fill the key space, then the read, update, mixed or scan workloads \
      against it. Results go to stdout; a progress line goes to stderr every second; --json \
      writes the result to a file for scripts.

      Example:
        tinykv-bench raw load --keys 100000
        tinykv-bench raw read --keys 100000 --concurrency 64 --duration 10
        tinykv-bench raw mixed --scheduler 127.0.0.1:2379 --keys 100000   # across a cluster
        tinykv-bench ycsb load --keys 100000 && tinykv-bench ycsb a --keys 100000
        tinykv-bench txn rw4 --keys 100000 --concurrency 64 --duration 10
        tinykv-bench copr load --rows 1000000 && tinykv-bench copr query --rows 1000000
        tinykv-bench sql prepare && tinykv-bench sql point-select --threads 16   # tinysql-server
      """,
    subcommands: [
      RawBench.self, YCSBBench.self, TxnBench.self, CoprocessorBench.self, RaftStoreBench.self,
      SQLBench.self,
    ])
}
