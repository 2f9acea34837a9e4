import Foundation
import Testing
import TinyKVProto

@testable import Raft

@Suite("RaftLog")
struct RaftLogTests {
  static func log(_ terms: [UInt64]) -> RaftLog<MemoryStorage> {
    try! RaftLog(storage: storageWithTerms(terms))
  }

  @Test(
    arguments: [
      ([Entry](), UInt64(0)),
      ([entry(1, 1), entry(2, 2), entry(3, 3)], 0),
      ([entry(2, 2), entry(3, 3)], 0),
      ([entry(3, 3)], 0),
      ([entry(1, 1), entry(2, 2), entry(3, 3), entry(4, 4), entry(4, 5)], 4),
      ([entry(4, 4), entry(4, 5)], 4),
      ([entry(4, 1), entry(4, 2)], 1),
      ([entry(1, 2), entry(4, 3), entry(4, 4)], 2),
      ([entry(1, 3), entry(2, 4), entry(4, 5), entry(4, 6)], 3),
    ] as [([Entry], UInt64)])
  func findConflict(entries: [Entry], want: UInt64) {
    let l = Self.log([1, 2, 3])
    #expect(l.findConflict(entries) == want)
  }

  @Test(
    arguments: [
      (UInt64(10), UInt64(3), UInt64(10), UInt64(3)),
      (10, 2, 6, 2), (5, 2, 5, 2), (3, 1, 2, 1), (6, 4, 6, 2), (2, 0, 0, 0), (6, 1, 2, 1),
    ] as [(UInt64, UInt64, UInt64, UInt64)])
  func findConflictByTerm(index: UInt64, term: UInt64, wantIndex: UInt64, wantTerm: UInt64) {
    // Terms [1, 1, 2, 2, 2, 2]; index 10 is beyond the log (term 0... unknown) so it
    // returns at once.
    let l = Self.log([1, 1, 2, 2, 2, 2])
    let got = l.findConflictByTerm(index: index, term: term)
    if index > l.lastIndex {
      #expect(got.index == index)
    } else {
      #expect(got.index == wantIndex)
      #expect(got.term == wantTerm)
    }
  }

  @Test(
    arguments: [
      (UInt64(3), UInt64(3), true), (3, 2, false), (2, 3, false), (4, 3, true), (4, 2, false),
      (1, 4, true),
    ] as [(UInt64, UInt64, Bool)])
  func isUpToDate(lastIndex: UInt64, term: UInt64, want: Bool) {
    let l = Self.log([1, 2, 3])
    #expect(l.isUpToDate(lastIndex: lastIndex, term: term) == want)
  }

  @Test func maybeAppendChecksTermAndCommit() {
    var l = Self.log([1, 2, 3])
    l.committed = 1
    // Mismatching previous term: nothing happens.
    #expect(l.maybeAppend(index: 3, logTerm: 2, committed: 3, entries: [entry(4, 4)]) == nil)
    #expect(l.lastIndex == 3)
    // Matching: appends and commits up to the last new entry.
    #expect(l.maybeAppend(index: 3, logTerm: 3, committed: 10, entries: [entry(4, 4)]) == 4)
    #expect(l.committed == 4)
    // Conflict truncates the tail.
    l.committed = 2
    #expect(l.maybeAppend(index: 2, logTerm: 2, committed: 2, entries: [entry(5, 3)]) == 3)
    #expect(terms(l.allEntries()) == [1, 2, 5])
    // An old, matching append does not truncate newer entries.
    _ = l.maybeAppend(index: 3, logTerm: 5, committed: 2, entries: [entry(5, 4), entry(5, 5)])
    #expect(l.maybeAppend(index: 1, logTerm: 1, committed: 2, entries: [entry(2, 2)]) == 2)
    #expect(l.lastIndex == 5)
  }

  @Test func commitOnlyMovesForward() {
    var l = Self.log([1, 2, 3])
    l.commit(to: 2)
    l.commit(to: 1)
    #expect(l.committed == 2)
    let wrongTerm = l.maybeCommit(3, term: 2)
    #expect(!wrongTerm, "index 3 has term 3")
    let rightTerm = l.maybeCommit(3, term: 3)
    #expect(rightTerm)
  }

  @Test func stableAndUnstableParts() throws {
    let storage = storageWithTerms([1, 1])
    var l = try RaftLog(storage: storage)
    l.append([entry(2, 3), entry(2, 4)])
    #expect(l.unstableEntries.map(\.index) == [3, 4])
    #expect(try l.slice(2, 5, maxSize: .max).map(\.index) == [2, 3, 4])
    try storage.append(l.unstableEntries)
    l.stable(to: 4, term: 2)
    #expect(l.unstableEntries.isEmpty)
    #expect(l.lastIndex == 4)
    // A stale stableTo (term mismatch) keeps the entries unstable.
    l.append([entry(3, 5)])
    l.stable(to: 5, term: 2)
    #expect(l.unstableEntries.count == 1)
  }

  @Test func compactedIndexesThrow() throws {
    let storage = storageWithTerms([1, 1, 1, 2, 2])
    try storage.compact(3)
    let l = try RaftLog(storage: storage)
    #expect(l.firstIndex == 4)
    #expect(throws: RaftError.compacted) { _ = try l.term(2) }
    #expect(try l.term(3) == 1, "the compacted boundary keeps its term")
    #expect(throws: RaftError.compacted) { _ = try l.slice(3, 5, maxSize: .max) }
    #expect(try l.term(99) == 0)
  }

  @Test func sliceRespectsSizeLimit() throws {
    let storage = MemoryStorage()
    try storage.append((1...10).map { entry(1, UInt64($0), String(repeating: "a", count: 88)) })
    let l = try RaftLog(storage: storage)
    #expect(try l.slice(1, 11, maxSize: 0).count == 1, "at least one entry")
    #expect(try l.slice(1, 11, maxSize: 200).count == 2)
    #expect(try l.slice(1, 11, maxSize: .max).count == 10)
  }

  @Test func nextEntriesRespectApplied() throws {
    var l = Self.log([1, 1, 1, 1])
    l.commit(to: 3)
    #expect(l.nextEntries().map(\.index) == [1, 2, 3])
    l.applied(to: 2)
    #expect(l.nextEntries().map(\.index) == [3])
    #expect(l.hasNextEntries)
    l.applied(to: 3)
    #expect(!l.hasNextEntries)
  }

  @Test func restoreFromSnapshot() throws {
    var l = Self.log([1, 2, 3])
    l.restore(makeSnapshot(index: 10, term: 4, nodes: [1]))
    #expect(l.committed == 10)
    #expect(l.lastIndex == 10)
    #expect(l.firstIndex == 11)
    #expect(try l.term(10) == 4)
    l.append([entry(4, 11)])
    #expect(l.lastIndex == 11)
  }
}

@Suite("UnstableLog")
struct UnstableLogTests {
  @Test func truncateAndAppendCases() {
    var u = UnstableLog(offset: 5)
    u.entries = [entry(1, 5)]
    u.truncateAndAppend([entry(1, 6), entry(1, 7)])
    #expect(u.entries.map(\.index) == [5, 6, 7])
    u.truncateAndAppend([entry(2, 6)])
    #expect(u.entries.map(\.index) == [5, 6])
    #expect(terms(u.entries) == [1, 2])
    u.truncateAndAppend([entry(3, 4), entry(3, 5)])
    #expect(u.offset == 4)
    #expect(u.entries.map(\.index) == [4, 5])
  }

  @Test func termsAndIndexes() {
    var u = UnstableLog(offset: 6)
    u.snapshot = makeSnapshot(index: 5, term: 1, nodes: [1])
    u.entries = [entry(1, 6)]
    #expect(u.maybeFirstIndex == 6)
    #expect(u.maybeLastIndex == 6)
    #expect(u.maybeTerm(5) == 1)
    #expect(u.maybeTerm(6) == 1)
    #expect(u.maybeTerm(4) == nil)
    #expect(u.maybeTerm(7) == nil)
    u.stableTo(index: 6, term: 1)
    #expect(u.entries.isEmpty && u.offset == 7)
    u.stableSnapTo(5)
    #expect(u.snapshot == nil)
  }
}

@Suite("MemoryStorage")
struct MemoryStorageTests {
  static func storage() -> MemoryStorage {
    let s = MemoryStorage()
    try! s.applySnapshot(makeSnapshot(index: 3, term: 3, nodes: [1]))
    try! s.append([entry(4, 4), entry(5, 5)])
    return s
  }

  @Test func termAndBounds() throws {
    let s = Self.storage()
    #expect(try s.firstIndex() == 4)
    #expect(try s.lastIndex() == 5)
    #expect(try s.term(3) == 3)
    #expect(try s.term(5) == 5)
    #expect(throws: RaftError.compacted) { _ = try s.term(2) }
    #expect(throws: RaftError.unavailable) { _ = try s.term(6) }
    #expect(throws: RaftError.compacted) { _ = try s.entries(3, 5, maxSize: .max) }
    #expect(throws: RaftError.unavailable) { _ = try s.entries(4, 7, maxSize: .max) }
    #expect(try s.entries(4, 6, maxSize: .max).map(\.index) == [4, 5])
  }

  @Test func appendTruncatesAndIgnoresCompacted() throws {
    let s = Self.storage()
    try s.append([entry(3, 3), entry(6, 4)])
    #expect(try s.lastIndex() == 4)
    #expect(try s.term(4) == 6)
    try s.append([entry(6, 5), entry(6, 6)])
    #expect(try s.lastIndex() == 6)
    #expect(throws: RaftError.unavailable) { try s.append([entry(6, 9)]) }
  }

  @Test func compactAndSnapshot() throws {
    let s = Self.storage()
    try s.append([entry(5, 6), entry(5, 7)])
    try s.compact(5)
    #expect(try s.firstIndex() == 6)
    #expect(try s.term(5) == 5)
    #expect(throws: RaftError.compacted) { try s.compact(5) }
    #expect(throws: RaftError.unavailable) { try s.compact(99) }
    let snap = try s.createSnapshot(index: 6, data: Data("state".utf8))
    #expect(snap.metadata.index == 6 && snap.metadata.term == 5)
    #expect(snap.metadata.confState.nodes == [1])
    #expect(throws: RaftError.snapshotOutOfDate) { try s.createSnapshot(index: 6) }
    #expect(throws: RaftError.snapshotOutOfDate) {
      try s.applySnapshot(makeSnapshot(index: 4, term: 4, nodes: [1]))
    }
  }
}
