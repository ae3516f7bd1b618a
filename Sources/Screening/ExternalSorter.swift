import CSystem
import Foundation

/// Sorts any number of fixed-width values in bounded memory: values are gathered into runs of
/// `runCapacity`, each run is sorted and appended to one spill file, and `sorted()` merges the
/// runs. Values sort by their own `<`, which the compiler inlines into the sort and the merge.
///
/// The spill file is unlinked as soon as it is created, so nothing is left on disk when the
/// process ends, however it ends; it is readable by its owner only, as it holds personal data
/// (packed ID numbers).
struct ExternalSorter<Element: BitwiseCopyable & Comparable> {
  private let directory: String
  private let runCapacity: Int
  private var pending: [Element] = []
  /// One spill file for every run, so a sort of any size holds one descriptor.
  private var file: SpillFile?
  private var runs: [SpilledRun] = []
  private var written: Int64 = 0
  /// Puts a run into the order of `<`; a type may know a faster way than comparing.
  private let sortRun: (inout [Element]) -> Void

  init(
    directory: String, runCapacity: Int,
    sortRun: @escaping (inout [Element]) -> Void = { $0.sort() }
  ) {
    self.directory = directory
    self.runCapacity = max(1, runCapacity)
    self.sortRun = sortRun
  }

  mutating func append(_ element: Element) throws(ScreeningError) {
    if pending.isEmpty { pending.reserveCapacity(runCapacity) }
    pending.append(element)
    if pending.count == runCapacity { try spill() }
  }

  /// Adds values in any order, a run's room at a time.
  mutating func append(contentsOf elements: [Element]) throws(ScreeningError) {
    var start = 0
    while start < elements.count {
      if pending.isEmpty { pending.reserveCapacity(runCapacity) }
      let taken = min(runCapacity - pending.count, elements.count - start)
      pending.append(contentsOf: elements[start..<start + taken])
      start += taken
      if pending.count == runCapacity { try spill() }
    }
  }

  /// Adds values already in order as a run of their own, written straight to the spill file:
  /// callers that gather values on several threads sort their runs before taking a lock.
  mutating func append(sorted run: [Element]) throws(ScreeningError) {
    guard !run.isEmpty else { return }
    try write(run)
  }

  /// This sorter as it is, leaving it empty: the copy returned then owns the values alone, so
  /// sorting them does not copy them first.
  mutating func takeAll() -> ExternalSorter {
    let taken = self
    pending = []
    file = nil
    runs = []
    written = 0
    return taken
  }

  /// The values in order, merged through about `mergeBudget` bytes of read buffers. When
  /// everything fitted in one run, nothing touched the disk.
  consuming func sorted(mergeBudget: Int = 4 << 20) throws(ScreeningError) -> SortedRuns<Element> {
    sortRun(&pending)
    guard !runs.isEmpty else {
      return try SortedRuns(
        memory: pending, file: nil, runs: [], mergeBudget: mergeBudget)
    }
    if !pending.isEmpty { try spill() }
    pending = []
    return try SortedRuns(
      memory: [], file: file, runs: runs, mergeBudget: mergeBudget)
  }

  private mutating func spill() throws(ScreeningError) {
    sortRun(&pending)
    try write(pending)
    pending.removeAll(keepingCapacity: true)
  }

  private mutating func write(_ run: [Element]) throws(ScreeningError) {
    let file: SpillFile
    if let existing = self.file {
      file = existing
    } else {
      file = try SpillFile(directory: directory)
      self.file = file
    }
    let failure: ScreeningError? = run.withUnsafeBytes { bytes in
      do throws(ScreeningError) {
        try file.write(bytes, at: written)
        return nil
      } catch {
        return error
      }
    }
    if let failure { throw failure }
    runs.append(SpilledRun(offset: written, count: run.count))
    written += Int64(run.count * MemoryLayout<Element>.stride)
  }
}

/// The merged output of an `ExternalSorter`, read one value at a time.
struct SortedRuns<Element: BitwiseCopyable & Comparable> {
  /// A run's current value and the run's reader, as the heap holds them: comparing two entries
  /// compares values in place, without a call to each reader.
  private struct Entry {
    var value: Element
    var reader: Int
  }

  private var memory: [Element]
  private var memoryIndex = 0
  private var readers: [RunReader<Element>]
  /// A binary min-heap on the value of each run not yet exhausted.
  private var heap: [Entry] = []

  fileprivate init(
    memory: [Element], file: SpillFile?, runs: [SpilledRun], mergeBudget: Int
  ) throws(ScreeningError) {
    self.memory = memory
    // `mergeBudget` bytes of read buffers in all, whatever the number of runs.
    let perRun = max(256, mergeBudget / max(1, MemoryLayout<Element>.stride) / max(1, runs.count))
    // One allocation for every run's buffer: a block this large is mapped on its own and given
    // back whole when the merge ends, where many small ones would leave the heap fragmented and
    // resident for the rest of the run.
    let storage = MergeStorage<Element>(capacity: perRun * runs.count)
    readers = []
    for (index, run) in runs.enumerated() {
      guard let file else { break }
      let slice = UnsafeMutableBufferPointer(
        rebasing: storage.elements[index * perRun..<(index + 1) * perRun])
      let reader = RunReader<Element>(file: file, run: run, buffer: slice, storage: storage)
      try reader.rewind()
      if let value = reader.current {
        readers.append(reader)
        heap.append(Entry(value: value, reader: readers.count - 1))
      }
    }
    for position in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(position) }
  }

  mutating func next() throws(ScreeningError) -> Element? {
    guard !readers.isEmpty else {
      guard memoryIndex < memory.count else { return nil }
      defer { memoryIndex += 1 }
      return memory[memoryIndex]
    }
    guard let top = heap.first else { return nil }
    if let following = try readers[top.reader].next() {
      heap[0].value = following
    } else {
      heap[0] = heap[heap.count - 1]
      heap.removeLast()
    }
    if heap.count > 1 { siftDown(0) }
    return top.value
  }

  /// Moves the entry at `start` down to its place: the hole it leaves is filled by the smaller
  /// child at each level, and the entry is stored once, where it stops.
  private mutating func siftDown(_ start: Int) {
    heap.withUnsafeMutableBufferPointer { heap in
      let moving = heap[start]
      var parent = start
      while true {
        let left = 2 * parent + 1
        guard left < heap.count else { break }
        var smallest = left
        if left + 1 < heap.count, heap[left + 1].value < heap[left].value { smallest = left + 1 }
        guard heap[smallest].value < moving.value else { break }
        heap[parent] = heap[smallest]
        parent = smallest
      }
      heap[parent] = moving
    }
  }
}

/// Reads one spilled run back through one buffer, allocated once.
private final class RunReader<Element: BitwiseCopyable> {
  let file: SpillFile
  private let buffer: UnsafeMutableBufferPointer<Element>
  /// Keeps the memory behind `buffer` alive.
  private let storage: MergeStorage<Element>
  private var filled = 0
  private var index = 0
  private var remaining: Int
  private var offset: Int64 = 0

  private let run: SpilledRun

  init(
    file: SpillFile, run: SpilledRun, buffer: UnsafeMutableBufferPointer<Element>,
    storage: MergeStorage<Element>
  ) {
    self.file = file
    self.run = run
    self.remaining = run.count
    self.buffer = buffer
    self.storage = storage
  }

  var current: Element? { index < filled ? buffer[index] : nil }

  /// Moves to the run's next value and returns it, or `nil` at the run's end.
  func next() throws(ScreeningError) -> Element? {
    index += 1
    if index == filled { try refill() }
    return index < filled ? buffer[index] : nil
  }

  func rewind() throws(ScreeningError) {
    offset = run.offset
    remaining = run.count
    try refill()
  }

  private func refill() throws(ScreeningError) {
    index = 0
    filled = 0
    let count = min(buffer.count, remaining)
    guard count > 0 else { return }
    let size = count * MemoryLayout<Element>.stride
    try file.read(UnsafeMutableRawBufferPointer(buffer), at: offset, count: size)
    filled = count
    offset += Int64(size)
    remaining -= count
  }
}

/// The read buffers of one merge, in one block.
private final class MergeStorage<Element: BitwiseCopyable> {
  let elements: UnsafeMutableBufferPointer<Element>

  init(capacity: Int) {
    elements = .allocate(capacity: max(1, capacity))
  }

  deinit { elements.deallocate() }
}

/// Where one sorted run lies in the spill file.
private struct SpilledRun {
  var offset: Int64
  var count: Int
}

/// A temporary file with no name: created in `directory`, unlinked at once, closed when the last
/// reference goes.
final class SpillFile {
  let descriptor: Int32
  let directory: String

  init(directory: String) throws(ScreeningError) {
    self.directory = directory
    var template = Array("\(directory)/.spill-XXXXXX".utf8CString)
    let descriptor = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
      guard let base = buffer.baseAddress else { return -1 }
      let descriptor = mkstemp(base)
      if descriptor >= 0 {
        fchmod(descriptor, 0o600)
        unlink(base)
      }
      return descriptor
    }
    guard descriptor >= 0 else {
      throw .output(path: directory, message: String(cString: strerror(errno)))
    }
    self.descriptor = descriptor
  }

  deinit { close(descriptor) }

  /// Writes `bytes` at `offset`: the sorter appends its runs where the last one ended, and the
  /// record spills' writers where they reserved their places in one shared file.
  func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(ScreeningError) {
    var done = 0
    while done < bytes.count {
      guard let base = bytes.baseAddress else { return }
      let written = pwrite(descriptor, base + done, bytes.count - done, off_t(offset) + off_t(done))
      if written < 0 && errno == EINTR { continue }
      // pwrite(2) writing nothing without an error would otherwise loop for ever.
      guard written > 0 else {
        throw .output(
          path: directory,
          message: written < 0 ? String(cString: strerror(errno)) : "磁盘写入停止 / nothing written")
      }
      done += written
    }
  }

  func read(_ bytes: UnsafeMutableRawBufferPointer, at offset: Int64, count: Int)
    throws(ScreeningError)
  {
    precondition(count <= bytes.count, "a spill read larger than its buffer")
    var done = 0
    while done < count {
      guard let base = bytes.baseAddress else { return }
      let got = pread(descriptor, base + done, count - done, off_t(offset) + off_t(done))
      if got < 0, errno == EINTR { continue }
      guard got > 0 else {
        throw .output(
          path: directory,
          message: got < 0
            ? String(cString: strerror(errno)) : "临时文件被截断 / a spill file was cut short")
      }
      done += got
    }
  }

  /// Gives back the disk space and page cache of `count` bytes at `offset` that will not be
  /// read again, leaving a hole (`fallocate` with `FALLOC_FL_PUNCH_HOLE`). On a file system
  /// without holes nothing changes: the space is then freed when the file is closed, as before.
  func release(at offset: Int64, count: Int64) {
    guard count > 0 else { return }
    _ = csystem_punch_hole(descriptor, off_t(offset), off_t(count))
  }
}
