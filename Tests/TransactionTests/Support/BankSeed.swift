import Foundation

/// The seed of a bank test: `BANK_SEED` if set, else a random one; printed at once, so that a
/// run that throws still tells how to replay it.
func bankSeed(_ test: String) -> UInt64 {
  let seed =
    ProcessInfo.processInfo.environment["BANK_SEED"].flatMap(UInt64.init)
    ?? UInt64.random(in: 1...1_000_000)
  print("\(test): seed \(seed) (rerun with BANK_SEED=\(seed))")
  return seed
}
