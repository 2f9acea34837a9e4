import Foundation
import Histogram

/// What one run measured.
struct LoadResult: Sendable {
  /// The latencies of one kind of operation in a mix (reads, updates, ...).
  struct Kind: Sendable {
    let name: String
    let latency: Histogram<UInt64>
  }

  let workload: String
  let concurrency: Int
  let seed: UInt64
  let latency: Histogram<UInt64>
  /// Per kind of operation, when the workload mixes kinds; empty otherwise.
  var kinds: [Kind] = []
  let errors: Int
  let firstError: String?
  let seconds: Double

  var operations: Int { Int(latency.totalCount) }
  var throughput: Double { seconds > 0 ? Double(operations) / seconds : 0 }

  /// Human-readable lines for stdout.
  func report() -> String {
    var lines = [
      "\(workload): \(operations) ops in \(format(seconds, 2)) s = \(format(throughput, 0)) ops/s"
        + " (concurrency \(concurrency), seed \(seed))",
      "  latency us: " + percentiles(latency),
    ]
    for kind in kinds where kind.latency.totalCount > 0 {
      lines.append(
        "  \(kind.name): \(kind.latency.totalCount) ops = \(format(rate(kind), 0)) ops/s,"
          + " latency us: " + percentiles(kind.latency))
    }
    if errors > 0 {
      lines.append("  errors: \(errors) (first: \(firstError ?? "?"))")
    }
    return lines.joined(separator: "\n")
  }

  /// The result as JSON, for scripts.
  func json(extra: [String: String] = [:]) throws -> Data {
    let document = JSONResult(
      workload: workload, concurrency: concurrency, seed: seed, operations: operations,
      errors: errors, seconds: seconds, opsPerSecond: throughput,
      latencyMicros: .init(latency),
      kinds: kinds.filter { $0.latency.totalCount > 0 }.map {
        .init(
          name: $0.name, operations: Int($0.latency.totalCount), opsPerSecond: rate($0),
          latencyMicros: .init($0.latency))
      },
      parameters: extra)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return try encoder.encode(document)
  }

  private func rate(_ kind: Kind) -> Double {
    seconds > 0 ? Double(kind.latency.totalCount) / seconds : 0
  }

  private func percentiles(_ histogram: Histogram<UInt64>) -> String {
    "p50 \(histogram.valueAtPercentile(50)), p99 \(histogram.valueAtPercentile(99)),"
      + " p999 \(histogram.valueAtPercentile(99.9)), max \(histogram.max),"
      + " mean \(format(histogram.mean, 1))"
  }

  private func format(_ value: Double, _ digits: Int) -> String {
    String(format: "%.\(digits)f", value)
  }
}

private struct JSONResult: Encodable {
  struct Latency: Encodable {
    let p50: UInt64
    let p99: UInt64
    let p999: UInt64
    let max: UInt64
    let mean: Double

    init(_ histogram: Histogram<UInt64>) {
      p50 = histogram.valueAtPercentile(50)
      p99 = histogram.valueAtPercentile(99)
      p999 = histogram.valueAtPercentile(99.9)
      max = histogram.max
      mean = histogram.mean
    }
  }
  struct Kind: Encodable {
    let name: String
    let operations: Int
    let opsPerSecond: Double
    let latencyMicros: Latency
  }
  let workload: String
  let concurrency: Int
  let seed: UInt64
  let operations: Int
  let errors: Int
  let seconds: Double
  let opsPerSecond: Double
  let latencyMicros: Latency
  let kinds: [Kind]
  let parameters: [String: String]
}
