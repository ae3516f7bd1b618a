import Foundation

/// What one worker has read from a roster's few-valued cells (所在区县, 职业工种, 职称系列, …),
/// so that a cell seen before is given the value made for it then, instead of checking its
/// bytes and copying them into a new string again. Rows of a column such as 职业工种 take a few
/// hundred texts, most too long to be small strings, so each new string would be an allocation;
/// and strings sharing storage also compare faster later.
///
/// Owned by one worker and passed to `ApplicantParser.parse(_:into:cache:)` for each row; its
/// memory is bounded (a few hundred cells per kind, forgotten all at once when full).
extension ApplicantParser {
  /// One worker's memory of the few-valued cells it has read (see above), handed to
  /// `parse(_:into:cache:)` row after row; bounded, so a worker's memory stays flat.
  public struct Cache: Sendable {
    /// Texts taken as written (所在区县, 职业工种, 职称系列, 申请评价职业工种, 技工院校毕业班次).
    var texts: CellMemo<String>
    /// 近3年年度考核 cells, split as lists.
    var assessments: CellMemo<[String]>
    /// 荣誉 cells, split as honours lists.
    var honours: CellMemo<[String]>
    /// 职业技能等级 cells not written as a level's name (`２`, `三级/高级工`), as read.
    var skillLevels: CellMemo<LevelReading<SkillLevel>>
    /// 职称等级 cells not written as a level's name, as read.
    var titleLevels: CellMemo<LevelReading<TitleLevel>>

    /// An empty cache remembering up to `limit` cells of each kind.
    public init(limit: Int = 512) {
      texts = CellMemo(limit: limit)
      assessments = CellMemo(limit: limit / 4)
      honours = CellMemo(limit: limit / 4)
      skillLevels = CellMemo(limit: limit / 4)
      titleLevels = CellMemo(limit: limit / 4)
    }
  }

  /// What a level cell reads as: the level, the problem recorded for it, or nothing for a cell
  /// that normalises to nothing.
  enum LevelReading<Level: Sendable>: Sendable {
    case level(Level)
    case problem(FieldProblem)
    case blank
  }
}

extension ApplicantParser {
  /// Lends a worker a cache that an earlier batch of the same roster may have filled, for the
  /// duration of `body`, so that each worker's cache learns a file's few hundred texts once
  /// rather than once a batch. Caches are kept only between calls, one for each call that ran
  /// at the same time as others.
  public func withCache<Result>(_ body: (inout Cache) throws -> Result) rethrows -> Result {
    var cache = caches.take()
    defer { caches.keep(cache) }
    return try body(&cache)
  }

  /// The caches of the calls to `withCache` not running now.
  final class CachePool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [Cache] = []

    func take() -> Cache {
      lock.withLock { idle.popLast() } ?? Cache()
    }

    func keep(_ cache: Cache) {
      lock.withLock { idle.append(cache) }
    }
  }
}

/// Values made from cells, found again by the cells' UTF-8 bytes under a hash with linear
/// probing; at most `limit` of them, all forgotten when one more comes. A limit of 0 remembers
/// nothing and costs nothing to make.
struct CellMemo<Value: Sendable>: Sendable {
  let limit: Int
  /// The cells of 16 bytes or fewer, found by their `ShortKey` in place; a power of two at least
  /// twice `limit`, as is `slots`.
  private var shortSlots: [ShortSlot]
  /// Entry number + 1 per slot for the longer cells, 0 when empty.
  private var slots: [Int32]
  /// The longer cells' bytes, one after the other; the `i`th is at `bounds[i]..<bounds[i+1]`.
  private var bytes: [UInt8] = []
  private var bounds: [Int] = []
  /// Each long cell's entry number.
  private var longEntries: [Int32] = []
  private var values: [Value] = []
  /// The entry number of the value `value(_:orMake:)` last gave from the memo or remembered:
  /// values are numbered from 0 in the order they are remembered, and numbered again from 0
  /// once the memo has forgotten them all, so a number names a value only together with the
  /// value itself. Not set by a call that remembers nothing.
  private(set) var lastNumber: Int32 = -1

  init(limit: Int) {
    self.limit = max(0, limit)
    var capacity = 0
    if self.limit > 0 {
      capacity = 8
      while capacity < self.limit * 2 { capacity <<= 1 }
      bounds = [0]
    }
    shortSlots = [ShortSlot](repeating: ShortSlot(), count: capacity)
    slots = [Int32](repeating: 0, count: capacity)
  }

  /// How many cells are remembered.
  var count: Int { values.count }

  /// The value remembered for `cell`, else the value `make` gives for it (remembered when not
  /// `nil`). `make` must depend on the bytes alone, so that the same bytes always give the same
  /// value.
  ///
  /// A cell found in the first slot it probes, as most are, is answered here, inlined into the
  /// caller; any other goes to `lookUp`. The parser asks a memo three or four times a row, and
  /// the call itself cost as much as such a probe.
  @inline(__always)
  mutating func value(
    _ cell: UnsafeBufferPointer<UInt8>, orMake make: (UnsafeBufferPointer<UInt8>) -> Value?
  ) -> Value? {
    if let short = ShortKey(cell) {
      if !shortSlots.isEmpty {
        let slot = Int(truncatingIfNeeded: short.hash(count: cell.count)) & (shortSlots.count - 1)
        let entry = shortSlots[slot]
        if entry.number != 0 && entry.key == short
          && entry.count == Int32(truncatingIfNeeded: cell.count)
        {
          lastNumber = entry.number - 1
          return values[Int(entry.number) - 1]
        }
      }
    } else if !slots.isEmpty {
      let number = Int(slots[Int(truncatingIfNeeded: TextIndex.hash(cell)) & (slots.count - 1)])
      if number != 0 {
        let from = bounds[number - 1]
        if bounds[number] - from == cell.count
          && bytes.withUnsafeBufferPointer({ Self.equal($0, from: from, cell) })
        {
          let entry = Int(longEntries[number - 1])
          lastNumber = Int32(truncatingIfNeeded: entry)
          return values[entry]
        }
      }
    }
    return lookUp(cell, orMake: make)
  }

  /// `value(_:orMake:)` for the cells it does not find in place.
  @inline(never)
  private mutating func lookUp(
    _ cell: UnsafeBufferPointer<UInt8>, orMake make: (UnsafeBufferPointer<UInt8>) -> Value?
  ) -> Value? {
    guard !slots.isEmpty else { return make(cell) }
    let mask = slots.count - 1
    if let short = ShortKey(cell) {
      let count = Int32(truncatingIfNeeded: cell.count)
      var slot = Int(truncatingIfNeeded: short.hash(count: cell.count)) & mask
      let found: Int32 = shortSlots.withUnsafeBufferPointer { shortSlots in
        while true {
          let entry = shortSlots[slot]
          if entry.number == 0 { return 0 }
          if entry.key == short && entry.count == count { return entry.number }
          slot = (slot + 1) & mask
        }
      }
      if found != 0 {
        lastNumber = found - 1
        return values[Int(found) - 1]
      }
      guard let value = make(cell) else { return nil }
      if values.count == limit {
        forget()
        slot = Int(truncatingIfNeeded: short.hash(count: cell.count)) & mask
      }
      values.append(value)
      shortSlots[slot] = ShortSlot(key: short, count: cell.count, number: values.count)
      lastNumber = Int32(truncatingIfNeeded: values.count - 1)
      return value
    }
    let start = Int(truncatingIfNeeded: TextIndex.hash(cell)) & mask
    var slot = start
    let found = bytes.withUnsafeBufferPointer { all in
      while true {
        let number = Int(slots[slot])
        if number == 0 { return 0 }
        let from = bounds[number - 1]
        if bounds[number] - from == cell.count && Self.equal(all, from: from, cell) {
          return Int(longEntries[number - 1]) + 1
        }
        slot = (slot + 1) & mask
      }
    }
    if found != 0 {
      lastNumber = Int32(truncatingIfNeeded: found - 1)
      return values[found - 1]
    }
    guard let value = make(cell) else { return nil }
    if values.count == limit {
      forget()
      slot = start
    }
    let number = Int32(truncatingIfNeeded: values.count)
    bytes.append(contentsOf: cell)
    bounds.append(bytes.count)
    longEntries.append(number)
    values.append(value)
    slots[slot] = Int32(truncatingIfNeeded: longEntries.count)
    lastNumber = number
    return value
  }

  /// Forgets every cell, keeping the storage for the next ones.
  private mutating func forget() {
    for index in slots.indices {
      slots[index] = 0
      shortSlots[index] = ShortSlot()
    }
    bytes.removeAll(keepingCapacity: true)
    bounds.removeAll(keepingCapacity: true)
    bounds.append(0)
    longEntries.removeAll(keepingCapacity: true)
    values.removeAll(keepingCapacity: true)
  }

  /// Whether `all` holds `cell` at `start`.
  private static func equal(
    _ all: UnsafeBufferPointer<UInt8>, from start: Int, _ cell: UnsafeBufferPointer<UInt8>
  ) -> Bool {
    guard let key = all.baseAddress, let text = cell.baseAddress else { return cell.isEmpty }
    return memcmp(key + start, text, cell.count) == 0
  }
}
