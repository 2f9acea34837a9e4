import Foundation
import Histogram
import Synchronization
import Randomness

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
          var result = WorkerResult()
          while true {
            let ticket = counters.tickets.wrappingAdd(1, ordering: .relaxed).oldValue
            if ticket >= limit || clock.now >= deadline { break }
            let began = clock.now
            do {
              try await operation(worker, ticket, &random)
              let micros = (clock.now - began).microseconds
              _ = result.latency.record(UInt64(max(1, micros)))
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
    var latency = Histogram<UInt64>(highestTrackableValue: 60_000_000)
    for worker in workers { latency.add(worker.latency) }
    return LoadResult(
      workload: name, concurrency: concurrency, seed: seed, latency: latency,
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
  var latency = Histogram<UInt64>(highestTrackableValue: 60_000_000)
  var errors = 0
  var firstError: String?
}

extension Duration {
  var microseconds: Int64 {
    components.seconds * 1_000_000 + components.attoseconds / 1_000_000_000_000
  }

  var seconds: Double {
    Double(components.seconds) + Double(components.attoseconds) / 1e18
  }
}
