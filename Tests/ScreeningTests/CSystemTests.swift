import CSystem
import Foundation
import Testing

/// The C calls Swift's Glibc module leaves out, through the `CSystem` target: each must reach
/// the system, since a call that silently did nothing would only show as memory or disk space.
@Suite struct CSystemTests {
  @Test func glibcTakesTheArenaLimit() {
    #if canImport(Glibc)
      #expect(csystem_limit_malloc_arenas(8) == 1)
    #else
      #expect(csystem_limit_malloc_arenas(8) == 0)
    #endif
  }

  @Test func aPunchedHoleGivesTheBlocksBack() throws {
    let folder = try TestSupport.temporaryDirectory().path
    try #require(FileSystemHoles.supported(in: folder), "this file system has no holes")
    let path = folder + "/punched"
    let descriptor = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o600)
    try #require(descriptor >= 0)
    defer { close(descriptor) }
    let bytes = [UInt8](repeating: 1, count: 4 << 20)
    #expect(bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) } == bytes.count)
    #expect(fsync(descriptor) == 0)
    var before = stat()
    #expect(fstat(descriptor, &before) == 0)

    #expect(csystem_punch_hole(descriptor, 1 << 20, 2 << 20) == 0)
    var after = stat()
    #expect(fstat(descriptor, &after) == 0)
    #expect(after.st_size == before.st_size)
    // 512-byte blocks: the 2 MiB punched out are no longer allocated.
    #expect(before.st_blocks - after.st_blocks >= (2 << 20) / 512)
  }
}
