import Testing

@testable import Screening

@Suite struct SightingSortTests {
  /// A small deterministic generator, so a failure can be replayed.
  struct Generator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return state >> 11 ^ state << 29
    }
  }

  enum Keys: CaseIterable {
    /// Packed IDs of one region, many repeated.
    case packedWithRepeats
    /// Packed IDs and hashed texts mixed, some repeated.
    case mixed
    /// Keys spread over all 64 bits of `keyLow`.
    case wide
  }

  static func sightings(_ keys: Keys, count: Int, seed: UInt64) -> [DuplicatePlan.Sighting] {
    var generator = Generator(state: seed)
    var result: [DuplicatePlan.Sighting] = []
    for index in 0..<count {
      let random = generator.next()
      var high: UInt64 = 0
      var low: UInt64
      switch keys {
      case .packedWithRepeats:
        low = 3_306_021_990_000_000 * 11 + random % 3_000
      case .mixed:
        low = 3_306_031_985_000_000 * 11 + random % 500
        if random % 7 == 0 {
          high = 1 << 63 | random % 3
          low = random >> 32 % 2
        }
      case .wide:
        low = random
      }
      result.append(
        DuplicatePlan.Sighting(
          keyHigh: high, keyLow: low, ordinal: UInt64(index) * 3 + 5,
          location: UInt64(index) ^ random))
    }
    return result
  }

  static func same(_ left: [DuplicatePlan.Sighting], _ right: [DuplicatePlan.Sighting]) -> Bool {
    left.count == right.count
      && zip(left, right).allSatisfy {
        $0.keyHigh == $1.keyHigh && $0.keyLow == $1.keyLow && $0.ordinal == $1.ordinal
          && $0.location == $1.location
      }
  }

  @Test(arguments: Keys.allCases, [0, 1, 2, 257, 20_000])
  func givesTheOrderOfAComparisonSort(keys: Keys, count: Int) {
    let sightings = Self.sightings(keys, count: count, seed: UInt64(count) + 17)
    var radix = sightings
    DuplicatePlan.Sighting.sort(&radix)
    #expect(Self.same(radix, sightings.sorted()))
  }

  @Test(arguments: Keys.allCases)
  func sightingsOutOfOrdinalOrderAreSortedByComparison(keys: Keys) {
    let sightings = Array(Self.sightings(keys, count: 5_000, seed: 3).reversed())
    var sorted = sightings
    DuplicatePlan.Sighting.sort(&sorted)
    #expect(Self.same(sorted, sightings.sorted()))
  }

  @Test func theFirstOfEachKeyLeadsItsGroup() throws {
    let sightings = Self.sightings(.packedWithRepeats, count: 10_000, seed: 9)
    var sorted = sightings
    DuplicatePlan.Sighting.sort(&sorted)
    let first = try #require(sorted.first)
    #expect(first.keyLow == sightings.map(\.keyLow).min())
    for (earlier, later) in zip(sorted, sorted.dropFirst()) where earlier.keyLow == later.keyLow {
      #expect(earlier.ordinal < later.ordinal)
    }
  }
}
