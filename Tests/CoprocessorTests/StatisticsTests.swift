import Randomness
import Testing

@testable import Coprocessor

/// The statistics structures of ANALYZE, checked against the reference hash's published values
/// and against fixtures worked out by hand from TinySQL's rules (statistics/*.go).
struct StatisticsTests {
  // MARK: MurmurHash3

  @Test(
    "MurmurHash3 x64_128 gives the published values (spaolacci/murmur3's table, seeds 0, 1, 42)")
  func murmurVectors() {
    // (seed, h1, h2, input) from the Go package TinySQL uses; they agree with the reference C
    // code. The inputs cover no block (12 bytes), one block and a 9-byte tail (25), two blocks
    // and a 12-byte tail (44).
    let vectors: [(UInt32, UInt64, UInt64, String)] = [
      (0, 0, 0, ""),
      (0, 0xCBD8_A7B3_41BD_9B02, 0x5B1E_906A_48AE_1D19, "hello"),
      (0, 0x342F_AC62_3A5E_BC8E, 0x4CDC_BC07_9642_414D, "hello, world"),
      (0, 0xB89E_5988_B737_AFFC, 0x664F_C295_0231_B2CB, "19 Jan 2038 at 3:14:07 AM"),
      (
        0, 0xCD99_481F_9EE9_02C9, 0x695D_A1A3_8987_B6E7,
        "The quick brown fox jumps over the lazy dog."
      ),
      (1, 0x4610_ABE5_6EFF_5CB5, 0x5162_2DAA_78F8_3583, ""),
      (1, 0xA78D_DFF5_ADAE_8D10, 0x1289_00EF_2090_0135, "hello"),
      (0x2A, 0xF02A_A77D_FA1B_8523, 0xD101_6610_DA11_CBB9, ""),
      (
        0x2A, 0x74F3_3C65_9CDA_5AF7, 0x4EC7_A891_CAF3_16F0,
        "The quick brown fox jumps over the lazy dog."
      ),
    ]
    for (seed, h1, h2, input) in vectors {
      let hash = MurmurHash3.x64_128(Array(input.utf8), seed: seed)
      #expect(hash.h1 == h1 && hash.h2 == h2, "\(input) with seed \(seed)")
    }
  }

  @Test("MurmurHash3 x64_128 passes SMHasher's verification test (0x6384BA69)")
  func murmurVerification() {
    // SMHasher's VerificationTest: hash the keys [], [0], [0, 1], ... [0 ... 254] with seeds
    // 256, 255, ... 1, each result as its 16 output bytes (h1 then h2, little-endian); hash
    // those 4096 bytes with seed 0; the first 4 output bytes, little-endian, are the value
    // the reference publishes. Every tail length and many blocks are in it.
    var outputs: [UInt8] = []
    for length in 0..<256 {
      let hash = MurmurHash3.x64_128((0..<length).map { UInt8($0) }, seed: UInt32(256 - length))
      for half in [hash.h1, hash.h2] {
        for byte in 0..<8 { outputs.append(UInt8(truncatingIfNeeded: half >> (8 * UInt64(byte)))) }
      }
    }
    #expect(UInt32(truncatingIfNeeded: MurmurHash3.x64_128(outputs).h1) == 0x6384_BA69)
  }

  // MARK: CM sketch

  @Test("a CM sketch counts a value in row i at (h1 + h2 * i) mod width, wrapping at 2^64")
  func cmSketchPlacement() {
    // "hello": h1 = 0xCBD8A7B341BD9B02 = 14688674573012802306, h2 = 0x5B1E906A48AE1D19.
    // Row 0: h1 mod 10 = 6. Row 1: h1 + h2 overflows; mod 2^64 it is 0x26F7381D8A6BB81B =
    // 2807774592216315931, mod 10 = 1 (without wrapping it would be 7). Row 2: h1 + 2 h2
    // mod 2^64 = 9373618685129381172, mod 10 = 2.
    // "hello, world" (h1 = 0x342FAC623A5EBC8E, h2 = 0x4CDCBC079642414D) lands on 6, 5, 4.
    var sketch = CMSketch(depth: 3, width: 10)
    sketch.insert(Array("hello".utf8))
    sketch.insert(Array("hello".utf8))
    sketch.insert(Array("hello, world".utf8))
    var expected = Array(repeating: Array(repeating: UInt32(0), count: 10), count: 3)
    expected[0][6] = 3  // both values collide in row 0
    expected[1][1] = 2
    expected[1][5] = 1
    expected[2][2] = 2
    expected[2][4] = 1
    #expect(sketch.rows == expected)
    // The smallest counter: the collision in row 0 does not count.
    #expect(sketch.estimate(Array("hello".utf8)) == 2)
    #expect(sketch.estimate(Array("hello, world".utf8)) == 1)
    #expect(sketch.estimate(Array("absent".utf8)) <= 3)

    let pb = sketch.proto
    #expect(pb.rows.map(\.counters) == expected)
    #expect(pb.topN.isEmpty && pb.hasDefaultValue && pb.defaultValue == 0)
  }

  @Test("a CM sketch never estimates below the true count (seeded values)")
  func cmSketchUpperBound() {
    let seed: UInt64 = 0xC0FFEE
    var random = SplitMix64(seed: seed)
    var sketch = CMSketch(depth: 5, width: 64)
    var counts: [Int: UInt32] = [:]
    for _ in 0..<2000 {
      let value = Int.random(in: 0..<300, using: &random)
      counts[value, default: 0] += 1
      sketch.insert(Array("v\(value)".utf8))
    }
    for (value, count) in counts {
      #expect(sketch.estimate(Array("v\(value)".utf8)) >= count, "seed \(seed), value \(value)")
    }
    #expect(sketch.rows.allSatisfy { $0.reduce(0, +) == 2000 }, "seed \(seed)")
  }

  // MARK: FM sketch

  @Test("an FM sketch keeps hashes under its mask and halves once per insert past its size")
  func fmSketchMask() {
    // Size 2. 1, 2: kept. 4: three kept > 2, so the mask becomes 1 and 1 (odd) goes: {2, 4}.
    // 3: 3 & 1 != 0, ignored. 8: {2, 4, 8} > 2, mask 3, 2 goes: {4, 8}. 12: {4, 8, 12} > 2,
    // mask 7, 4 and 12 go: {8}. Each kept hash stands for mask + 1 = 8 values.
    var sketch = FMSketch(maxSize: 2)
    for hash: UInt64 in [1, 2, 4, 3, 8, 12] { sketch.insert(hash: hash) }
    #expect(sketch.mask == 7)
    #expect(sketch.proto.hashset == [8])
    #expect(sketch.distinctValues == 8)

    // One halving per insert, as TinySQL's: size 1, 4 and 8 both survive mask 1 (two kept),
    // 16 makes mask 3 with all three surviving, 32 makes mask 7 and drops only 4.
    var slow = FMSketch(maxSize: 1)
    for hash: UInt64 in [4, 8] { slow.insert(hash: hash) }
    #expect(slow.mask == 1 && slow.proto.hashset == [4, 8])
    slow.insert(hash: 16)
    #expect(slow.mask == 3 && slow.proto.hashset == [4, 8, 16])
    slow.insert(hash: 32)
    #expect(slow.mask == 7 && slow.proto.hashset == [8, 16, 32])
    #expect(slow.distinctValues == 24)
  }

  @Test("an FM sketch hashes a value in value form: a bytes datum is flag 2, its length, its bytes")
  func fmSketchHash() {
    // The bytes datum "ab" in value form: 0x02, varint 2 (zigzag 4), 'a', 'b'.
    var sketch = FMSketch(maxSize: 10)
    sketch.insert(.bytes(Array("ab".utf8)))
    #expect(sketch.proto.hashset == [MurmurHash3.x64_128([0x02, 0x04, 0x61, 0x62]).h1])
    #expect(sketch.proto.mask == 0)
  }

  @Test("an FM sketch estimates distinct values within 15% and ignores repeats (seeded values)")
  func fmSketchEstimate() {
    let seed: UInt64 = 20_200_212
    var random = SplitMix64(seed: seed)
    let distinct = Set(
      (0..<20_000).map { _ in Int64.random(in: 0..<1_000_000_000, using: &random) })
    var once = FMSketch(maxSize: 1000)
    var thrice = FMSketch(maxSize: 1000)
    for value in distinct {
      once.insert(.int(value))
      for _ in 0..<3 { thrice.insert(.int(value)) }
    }
    let error = abs(Double(once.distinctValues) - Double(distinct.count)) / Double(distinct.count)
    #expect(error < 0.15, "seed \(seed): \(once.distinctValues) for \(distinct.count)")
    #expect(once == thrice, "seed \(seed)")
    // Below its size a sketch is exact.
    var small = FMSketch(maxSize: 1000)
    for value in distinct.prefix(500) { small.insert(.int(value)) }
    #expect(small.distinctValues == 500, "seed \(seed)")
  }

  // MARK: Histogram

  @Test("a histogram of 20 sorted values in at most 4 buckets, as TinySQL's SortedBuilder")
  func histogramTwentyValues() {
    // Values 1 1 2 3 4 4 4 5 6 7 8 9 9 10 11 12 13 14 15 16, one byte each. A bucket holds
    // `per` values (1 at first; a value never splits), counts are cumulative.
    // 1 1 -> [1-1 c2 r2]. 2, 3, 4 4 4 -> [2 c3] [3 c4] [4 c7 r3]: four buckets, full.
    // 5: merge pairs -> [1-2 c3 r1] [3-4 c7 r3], per 2; the last has 4 > 2 -> [5 c8].
    // 6 -> [5-6 c9]. 7 -> [7 c10]. 8 -> [7-8 c11]. Four again.
    // 9: merge -> [1-4 c7 r3] [5-8 c11 r1], per 4 -> [9 c12]. 9 -> [9 c13 r2].
    // 10, 11 -> [9-11 c15 r1] (4 values). 12 13 14 15 -> [12-15 c19]. Four.
    // 16: merge -> [1-8 c11 r1] [9-15 c19 r1], per 8; the last has 8 -> [16 c20].
    var histogram = Histogram(maxBuckets: 4)
    for value: UInt8 in [1, 1, 2, 3, 4, 4, 4, 5, 6, 7, 8, 9, 9, 10, 11, 12, 13, 14, 15, 16] {
      histogram.append([value])
    }
    #expect(
      histogram.buckets == [
        .init(count: 11, lowerBound: [1], upperBound: [8], repeats: 1),
        .init(count: 19, lowerBound: [9], upperBound: [15], repeats: 1),
        .init(count: 20, lowerBound: [16], upperBound: [16], repeats: 1),
      ])
    #expect(histogram.distinctValues == 16)
    let pb = histogram.proto
    #expect(pb.ndv == 16)
    #expect(pb.buckets.map(\.count) == [11, 19, 20])
    #expect(pb.buckets.map(\.repeats) == [1, 1, 1])
    #expect(pb.buckets.map { Array($0.lowerBound) } == [[1], [9], [16]])
    #expect(pb.buckets.map { Array($0.upperBound) } == [[8], [15], [16]])
  }

  @Test("a histogram keeps repeats of the last value and an odd bucket through a merge")
  func histogramRepeatsAndOddMerge() {
    // 3 buckets: 1 -> [1], 2 -> [2], 3 -> [3]: full. 4: merge [1-2 c2] and [3 c3] alone, per
    // 2; the last [3] has 1 < 2 -> [3-4 c4]. 4 4: repeats -> [3-4 c6 r3]. 5: 6 - 2 + 1 > 2 ->
    // [5 c7].
    var histogram = Histogram(maxBuckets: 3)
    for value: UInt8 in [1, 2, 3, 4, 4, 4, 5] { histogram.append([value]) }
    #expect(
      histogram.buckets == [
        .init(count: 2, lowerBound: [1], upperBound: [2], repeats: 1),
        .init(count: 6, lowerBound: [3], upperBound: [4], repeats: 3),
        .init(count: 7, lowerBound: [5], upperBound: [5], repeats: 1),
      ])
    #expect(histogram.distinctValues == 5)
    #expect(Histogram(maxBuckets: 1).proto.hasNdv)
  }

  // MARK: Sample collector

  @Test("a sample collector counts NULLs apart and sizes values without their flag byte")
  func sampleCollectorCounts() {
    let one: [UInt8] = [0x08, 0x02]  // varint 1
    let a: [UInt8] = [0x02, 0x02, 0x61]  // compact bytes "a"
    var collector = SampleCollector(
      maxSampleSize: 10, fmSketchSize: 10, cmSketch: CMSketch(depth: 5, width: 2048))
    var random = SplitMix64(seed: 1)
    for value in [[0x00], one, a, [0x00], one] { collector.collect(value, using: &random) }
    #expect(collector.nullCount == 2)
    #expect(collector.count == 3)
    #expect(collector.totalSize == 1 + 2 + 1)
    #expect(collector.samples == [one, a, one])
    // The FM sketch hashes each value as a bytes datum: flag 2, zigzag length, the bytes.
    let hashes = [[0x02, 0x04] + one, [0x02, 0x06] + a].map { MurmurHash3.x64_128($0).h1 }
    #expect(collector.fmSketch.proto.hashset == hashes.sorted())
    #expect(collector.cmSketch?.estimate(one) == 2)
    #expect(collector.cmSketch?.estimate(a) == 1)
    let pb = collector.proto
    #expect(pb.samples.map { Array($0) } == [one, a, one])
    #expect(pb.nullCount == 2 && pb.count == 3 && pb.hasTotalSize && pb.totalSize == 4)
    #expect(pb.hasFmSketch && pb.hasCmSketch)
    #expect(!SampleCollector(maxSampleSize: 1, fmSketchSize: 1, cmSketch: nil).proto.hasCmSketch)
  }

  @Test("reservoir sampling keeps arrival order and picks every value equally often (seeds 1-4000)")
  func reservoirUniform() {
    // 10 values, 2 samples: each value is kept with probability 2/10.
    var kept = Array(repeating: 0, count: 10)
    for seed: UInt64 in 1...4000 {
      var collector = SampleCollector(maxSampleSize: 2, fmSketchSize: 0, cmSketch: nil)
      var random = SplitMix64(seed: seed)
      for value: UInt8 in 0..<10 { collector.collect([0x08, value * 2], using: &random) }
      #expect(collector.samples.count == 2, "seed \(seed)")
      #expect(collector.samples[0][1] < collector.samples[1][1], "seed \(seed)")
      for sample in collector.samples { kept[Int(sample[1] / 2)] += 1 }
    }
    // 800 expected each; the binomial's standard deviation is about 25.
    #expect(kept.allSatisfy { abs($0 - 800) < 125 }, "\(kept)")
  }
}
