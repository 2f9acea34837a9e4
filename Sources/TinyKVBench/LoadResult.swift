import Foundation
import Histogram

/// What one run measured.
struct LoadResult: Sendable {
  let workload: String
  let concurrency: Int
  let seed: UInt64
  let latency: Histogram<UInt64>
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
      "  latency us: p50 \(latency.valueAtPercentile(50)), p99 \(latency.valueAtPercentile(99)),"
        + " p999 \(latency.valueAtPercentile(99.9)), max \(latency.max),"
        + " mean \(format(latency.mean, 1))",
    ]
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
      latencyMicros: .init(
        p50: latency.valueAtPercentile(50), p99: latency.valueAtPercentile(99),
        p999: latency.valueAtPercentile(99.9), max: latency.max, mean: latency.mean),
      parameters: extra)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return try encoder.encode(document)
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
  }
  let workload: String
  let concurrency: Int
  let seed: UInt64
  let operations: Int
  let errors: Int
  let seconds: Double
  let opsPerSecond: Double
  let latencyMicros: Latency
  let parameters: [String: String]
}
