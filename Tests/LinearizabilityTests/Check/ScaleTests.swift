import Linearizability
import Testing

/// Seeds for the scale tests: 1 through `LINEARIZABILITY_SCALE_SEEDS` (default 2); a failure
/// names its seed.
private let seeds: [UInt64] = {
  let count = Environment.integer("LINEARIZABILITY_SCALE_SEEDS") ?? 2
  return Array(1...UInt64(max(1, count)))
}()

@Suite("Scale")
struct ScaleTests {
  /// The budget the raft store's and the end-to-end tests give the checker.
  static let budget = CheckBudget(timeout: .seconds(30))

  @Test(
    "five minutes of 20 clients overwriting 8 keys through store kills are linearizable",
    arguments: seeds)
  func killedStoreHistoryIsAccepted(seed: UInt64) {
    let (records, census) = KilledStoreWorkload.history(seed: seed)
    #expect(census.operations > 40_000, "seed \(seed): \(census)")
    #expect(census.unknownWrites > 400, "seed \(seed): \(census)")
    #expect(
      min(census.appliedAndRead, census.appliedUnobserved, census.neverApplied) > 20,
      "seed \(seed): \(census)")
    let (result, elapsed) = Self.check(records)
    #expect(result.isLinearizable, "seed \(seed): \(result)")
    print("scale: seed \(seed): \(census), checked in \(elapsed)")
  }

  @Test("the same histories with one anomaly planted are not linearizable", arguments: seeds)
  func plantedAnomaliesAreFound(seed: UInt64) throws {
    let (records, _) = KilledStoreWorkload.history(seed: seed)
    for anomaly in PlantedAnomaly.allCases {
      let (planted, key) = try #require(anomaly.plant(in: records, seed: seed), "seed \(seed)")
      let (result, elapsed) = Self.check(planted)
      let explanation = try #require(result.explanation, "seed \(seed), \(anomaly): \(result)")
      #expect(explanation.partition == key, "seed \(seed), \(anomaly)")
      print("scale: seed \(seed), \(anomaly): found in \(elapsed)")
    }
  }

  /// Checks `records` under ``budget`` and measures how long it took.
  private static func check(_ records: [HistoryRecord<KVInput, String>])
    -> (CheckResult, Duration)
  {
    let checker = LinearizabilityChecker(model: KVModel(), budget: budget)
    let operations = records.operations()
    var result = CheckResult.linearizable
    let elapsed = ContinuousClock().measure { result = checker.check(operations) }
    return (result, elapsed)
  }
}
