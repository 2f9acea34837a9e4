import Foundation
import Histogram
import Randomness
import Synchronization

/// Runs one operation from many concurrent workers and measures it.
///
/// Each worker loops: take a ticket, run the operation, record its latency in its own
/// histogram (merged at the end, so recording takes no lock). A progress line goes to stderr
/// every second.
struct LoadRunner: Sendable {
  /// When the run ends.
  enum Stop: Sendable {
    case afterOperations(Int)
    case afterDuration(Duration)
  }

  let concurrency: Int
  let stop: Stop
  let seed: UInt64

  /// Runs `operation(worker, ticket, &random)` until the stop condition; `ticket` counts up from
  /// 0 across all workers. A thrown error counts as a failed operation and the run goes on.
  func run(
    _ name: String,
    _ operation: @escaping @Sendable (Int, Int, inout SplitMix64) async throws -> Void
  ) async -> LoadResult {
    await runMix(name, kinds: []) { worker, ticket, random in
      try await operation(worker, ticket, &random)
      return 0
    }
  }

  /// Like `run`, for a mix of operation kinds: `operation` returns the index in `kinds` of the
  /// kind it ran, and the result has a latency histogram per kind as well as the total.
  func runMix(
    _ name: String, kinds: [String],
    _ operation: @escaping @Sendable (Int, Int, inout SplitMix64) async throws -> Int
  ) async -> LoadResult {
    let counters = Counters()
    let clock = ContinuousClock()
    let start = clock.now
    let limit: Int
    let deadline: ContinuousClock.Instant
    switch stop {
    case .afterOperations(let count):
      limit = count
      deadline = start + .seconds(365 * 24 * 3600)
    case .afterDuration(let duration):
      limit = .max
      deadline = start + duration
    }

    let progress = Task {
      var last = 0
      var seconds = 0
      while !Task.isCancelled {
        try? await Task.sleep(for: .seconds(1))
        if Task.isCancelled { break }
        seconds += 1
        let done = counters.completed.load(ordering: .relaxed)
        FileHandle.standardError.write(
          Data("[\(name) \(seconds)s] \(done) ops, \(done - last) ops/s\n".utf8))
        last = done
      }
    }

    let workers = await withTaskGroup(of: WorkerResult.self) { group in
      for worker in 0..<concurrency {
        group.addTask {
          var random = SplitMix64(seed: seed &+ UInt64(worker) &* 0x1000_0000_01B3)
          var result = WorkerResult(kinds: kinds.count)
          while true {
            let ticket = counters.tickets.wrappingAdd(1, ordering: .relaxed).oldValue
            if ticket >= limit || clock.now >= deadline { break }
            let began = clock.now
            do {
              let kind = try await operation(worker, ticket, &random)
              let micros = UInt64(max(1, (clock.now - began).microseconds))
              _ = result.latency.record(micros)
              if result.byKind.indices.contains(kind) { _ = result.byKind[kind].record(micros) }
            } catch {
              result.errors += 1
              if result.firstError == nil { result.firstError = String(describing: error) }
            }
            counters.completed.add(1, ordering: .relaxed)
          }
          return result
        }
      }
      var all: [WorkerResult] = []
      for await result in group { all.append(result) }
      return all
    }
    progress.cancel()

    let elapsed = clock.now - start
    var latency = WorkerResult.histogram()
    var byKind = kinds.map { _ in WorkerResult.histogram() }
    for worker in workers {
      latency.add(worker.latency)
      for (index, histogram) in worker.byKind.enumerated() { byKind[index].add(histogram) }
    }
    return LoadResult(
      workload: name, concurrency: concurrency, seed: seed, latency: latency,
      kinds: zip(kinds, byKind).map { LoadResult.Kind(name: $0, latency: $1) },
      errors: workers.reduce(0) { $0 + $1.errors },
      firstError: workers.lazy.compactMap(\.firstError).first,
      seconds: elapsed.seconds)
  }
}

/// Counters shared by the workers of one run.
private final class Counters: Sendable {
  /// Operations started (the next ticket).
  let tickets = Atomic<Int>(0)
  /// Operations finished, for the progress line.
  let completed = Atomic<Int>(0)
}

private struct WorkerResult: Sendable {
  var latency = histogram()
  /// One histogram per operation kind of `runMix`.
  var byKind: [Histogram<UInt64>]
  var errors = 0
  var firstError: String?

  init(kinds: Int) { byKind = (0..<kinds).map { _ in Self.histogram() } }

  /// An empty latency histogram in microseconds, up to a minute.
  static func histogram() -> Histogram<UInt64> { Histogram(highestTrackableValue: 60_000_000) }
}

extension Duration {
  var microseconds: Int64 {
    components.seconds * 1_000_000 + components.attoseconds / 1_000_000_000_000
  }

  var seconds: Double {
    Double(components.seconds) + Double(components.attoseconds) / 1e18
  }
}
