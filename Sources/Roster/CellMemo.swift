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
  /// Entry number + 1 per slot, 0 when empty; a power of two at least twice `limit`.
  private var slots: [Int32]
  /// Every remembered cell's bytes, one after the other; entry `i` is at `bounds[i]..<bounds[i+1]`.
  private var bytes: [UInt8] = []
  private var bounds: [Int] = []
  private var values: [Value] = []
  /// Each entry's `ShortKey` (zero for a cell over 16 bytes), compared before any `memcmp`.
  private var shortKeys: [ShortKey] = []

  init(limit: Int) {
    self.limit = max(0, limit)
    var capacity = 0
    if self.limit > 0 {
      capacity = 8
      while capacity < self.limit * 2 { capacity <<= 1 }
      bounds = [0]
    }
    slots = [Int32](repeating: 0, count: capacity)
  }

  /// How many cells are remembered.
  var count: Int { values.count }

  /// The value remembered for `cell`, else the value `make` gives for it (remembered when not
  /// `nil`). `make` must depend on the bytes alone, so that the same bytes always give the same
  /// value.
  mutating func value(
    _ cell: UnsafeBufferPointer<UInt8>, orMake make: (UnsafeBufferPointer<UInt8>) -> Value?
  ) -> Value? {
    guard !slots.isEmpty else { return make(cell) }
    let mask = slots.count - 1
    let short = ShortKey(cell)
    let start =
      Int(truncatingIfNeeded: short?.hash(count: cell.count) ?? TextIndex.hash(cell)) & mask
    var slot = start
    let found: Int?
    if let short {
      found = shortEntry(short, count: cell.count, slot: &slot, mask: mask)
    } else {
      found = bytes.withUnsafeBufferPointer { all in
        while true {
          let number = Int(slots[slot])
          if number == 0 { return nil }
          let from = bounds[number - 1]
          if bounds[number] - from == cell.count && Self.equal(all, from: from, cell) {
            return number - 1
          }
          slot = (slot + 1) & mask
        }
      }
    }
    if let found { return values[found] }
    guard let value = make(cell) else { return nil }
    if values.count == limit {
      forget()
      slot = start
    }
    slots[slot] = Int32(values.count + 1)
    bytes.append(contentsOf: cell)
    bounds.append(bytes.count)
    values.append(value)
    shortKeys.append(short ?? ShortKey())
    return value
  }

  /// The entry of a cell of 16 bytes or fewer, probing from `slot` (left at the empty slot
  /// that ends a miss).
  private func shortEntry(_ key: ShortKey, count: Int, slot: inout Int, mask: Int) -> Int? {
    while true {
      let number = Int(slots[slot])
      if number == 0 { return nil }
      if shortKeys[number - 1] == key && bounds[number] - bounds[number - 1] == count {
        return number - 1
      }
      slot = (slot + 1) & mask
    }
  }

  /// Forgets every cell, keeping the storage for the next ones.
  private mutating func forget() {
    for index in slots.indices { slots[index] = 0 }
    bytes.removeAll(keepingCapacity: true)
    bounds.removeAll(keepingCapacity: true)
    bounds.append(0)
    values.removeAll(keepingCapacity: true)
    shortKeys.removeAll(keepingCapacity: true)
  }

  /// Whether `all` holds `cell` at `start`.
  private static func equal(
    _ all: UnsafeBufferPointer<UInt8>, from start: Int, _ cell: UnsafeBufferPointer<UInt8>
  ) -> Bool {
    guard let key = all.baseAddress, let text = cell.baseAddress else { return cell.isEmpty }
    return memcmp(key + start, text, cell.count) == 0
  }
}
