import Testing

@testable import Scheduler

@Suite("Id allocator")
struct IDAllocatorTests {
  @Test("ids are unique and increasing, and a restart resumes above every id handed out")
  func uniqueAcrossRestarts() throws {
    let directory = TempDirectory()
    var seen = Set<UInt64>()
    var last: UInt64 = 0
    for _ in 0..<3 {
      let storage = try MetaStorage(path: directory.path)
      let allocator = try IDAllocator(storage: storage, blockSize: 7)
      for _ in 0..<10 {
        let id = try allocator.allocate()
        #expect(id > last)
        #expect(seen.insert(id).inserted)
        last = id
      }
      let batch = try allocator.allocate(count: 20)
      #expect(batch == Array(last + 1...last + 20))
      last = batch.last!
      seen.formUnion(batch)
      storage.close()  // no graceful hand-off: the saved block end is all a restart sees
    }
  }

  @Test("the block end is saved before any id of the block is handed out")
  func blockSavedFirst() throws {
    let directory = TempDirectory()
    let storage = try MetaStorage(path: directory.path)
    let allocator = try IDAllocator(storage: storage, blockSize: 100)
    #expect(try allocator.allocate() == 1)
    #expect(try storage.loadUInt64(MetaKey.allocEnd) == 100)
    _ = try allocator.allocate(count: 150)
    #expect(try storage.loadUInt64(MetaKey.allocEnd) == 200)
    storage.close()
  }
}
