extension DuplicatePlan.Sighting {
  /// Puts sightings into the order of `<` faster than a comparison sort. Sightings gathered by
  /// one reader arrive in ordinal order, so a stable sort by key alone gives the same order; the
  /// packed IDs (`keyHigh` 0, which lead) are sorted by an LSD radix sort on `keyLow`, the rare
  /// hashed texts by comparison. Sightings not in ordinal order are sorted by comparison.
  static func sort(_ sightings: inout [Self]) {
    guard sightings.count > 1 else { return }
    var inOrder = true
    var hashed = 0
    // Read through the buffer the sort then works in: indexing the array itself checks bounds
    // and uniqueness each time.
    sightings.withUnsafeMutableBufferPointer { sightings in
      if sightings[0].keyHigh != 0 { hashed += 1 }
      for index in 1..<sightings.count {
        if sightings[index].keyHigh != 0 { hashed += 1 }
        if sightings[index - 1].ordinal >= sightings[index].ordinal { inOrder = false }
      }
    }
    guard inOrder else {
      sightings.sort()
      return
    }
    var texts: [Self] = []
    if hashed > 0 {
      texts.reserveCapacity(hashed)
      var kept = 0
      for index in sightings.indices {
        let sighting = sightings[index]
        if sighting.keyHigh == 0 {
          sightings[kept] = sighting
          kept += 1
        } else {
          texts.append(sighting)
        }
      }
      sightings.removeLast(hashed)
      texts.sort()
    }
    sightings.withUnsafeMutableBufferPointer { radixSortByKeyLow($0) }
    sightings.append(contentsOf: texts)
  }

  private static let digitBits = 11
  private static let digits = (64 + digitBits - 1) / digitBits

  /// A stable LSD radix sort on `keyLow`, 11 bits a pass; a digit every sighting shares is
  /// skipped, as it would move nothing.
  private static func radixSortByKeyLow(_ values: UnsafeMutableBufferPointer<Self>) {
    guard let base = values.baseAddress, values.count > 1 else { return }
    let count = values.count
    let buckets = 1 << digitBits
    let mask = UInt64(buckets - 1)
    let histograms = UnsafeMutableBufferPointer<Int>.allocate(capacity: buckets * digits)
    defer { histograms.deallocate() }
    histograms.initialize(repeating: 0)
    // Counts cannot overflow (they are at most the number of values), so they add unchecked.
    for value in values {
      var key = value.keyLow
      for digit in 0..<digits {
        histograms[digit * buckets + Int(key & mask)] &+= 1
        key >>= UInt64(digitBits)
      }
    }
    let scratch = UnsafeMutablePointer<Self>.allocate(capacity: count)
    defer { scratch.deallocate() }
    var source = base
    var target = scratch
    for digit in 0..<digits {
      let histogram = UnsafeMutableBufferPointer(
        rebasing: histograms[digit * buckets..<(digit + 1) * buckets])
      let shift = UInt64(digit * digitBits)
      if histogram[Int((source[0].keyLow >> shift) & mask)] == count { continue }
      var start = 0
      for bucket in 0..<buckets {
        let size = histogram[bucket]
        histogram[bucket] = start
        start &+= size
      }
      for index in 0..<count {
        let value = source[index]
        let bucket = Int((value.keyLow >> shift) & mask)
        // The place is taken and moved on before the value is stored, which could otherwise
        // be the histogram's memory as far as the compiler knows.
        let place = histogram[bucket]
        histogram[bucket] = place &+ 1
        (target + place).initialize(to: value)
      }
      swap(&source, &target)
    }
    if source != base { base.update(from: source, count: count) }
  }
}
