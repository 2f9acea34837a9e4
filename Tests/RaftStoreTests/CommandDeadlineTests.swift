import Engine
import Foundation
import Synchronization
import Storage
import TestSupport
import Testing
import TinyKVProto

@testable import RaftStore

/// A command waits for its answer at most its deadline, and no longer than its task lives.
@Suite(.serialized) struct CommandDeadlineTests {
  /// A cluster whose isolated leader keeps leading (no check-quorum), so its proposals hang.
  private func clusterWithStuckLeader() async throws -> (Cluster, RaftStore, Kvrpcpb_Context) {
    var config = Cluster.testConfig
    config.checkQuorum = false
    let cluster = try Cluster(count: 3, config: config)
    let leader = try await cluster.leader()
    cluster.transport.isolate(leader)
    return (cluster, try #require(cluster.stores[leader]), cluster.context(leader))
  }

  @Test func aWriteTheGroupCannotCommitTimesOut() async throws {
    let (cluster, store, context) = try await clusterWithStuckLeader()
    let storage = RaftStorage(store: store, timeout: .milliseconds(300))
    let started = ContinuousClock.now
    await #expect {
      try await storage.write(context, [.put(.default, key: Data("k".utf8), value: Data())])
    } throws: { error in
      // The entry may still commit once the partition heals: the outcome is unknown.
      (error as? RegionError)?.error.hasUndeterminedResult == true
        && "\(error)".contains("outcome is unknown")
    }
    #expect(ContinuousClock.now - started < .seconds(5))
    _ = cluster
  }

  @Test func aCancelledWaitEndsAtOnce() async throws {
    let (cluster, store, context) = try await clusterWithStuckLeader()
    let storage = RaftStorage(store: store, timeout: .seconds(60))
    let write = Task {
      try await storage.write(context, [.put(.default, key: Data("k".utf8), value: Data())])
    }
    let read = Task { try await storage.reader(context) }
    write.cancel()
    read.cancel()
    await #expect { try await write.value } throws: { error in
      (error as? RegionError)?.error.hasUndeterminedResult == true
        && "\(error)".contains("cancelled")
    }
    await #expect { _ = try await read.value } throws: { error in
      (error as? RaftStoreError)?.code == .cancelled
    }
    _ = cluster
  }

  @Test func aWriteWithACallbackTimesOutOnceAsUndetermined() async throws {
    let (cluster, store, context) = try await clusterWithStuckLeader()
    let storage = RaftStorage(store: store, timeout: .milliseconds(300))
    let answers = Mutex<[Result<Void, any Error>]>([])
    storage.write(context, [.put(.default, key: Data("k".utf8), value: Data())]) { result in
      answers.withLock { $0.append(result) }
    }
    try await eventually("the write's timeout", timeout: .seconds(5)) {
      answers.withLock { !$0.isEmpty }
    }
    // Healed, the store calls back (the entry committed, or overwritten by a new leader's): the
    // caller heard the timeout already and hears nothing more. A later write applied on the old
    // leader's store means the first entry was settled there too.
    cluster.transport.heal()
    try await eventually("a later write through the leader") {
      let leader = try await cluster.leader()
      let later = RaftStorage(store: try #require(cluster.stores[leader]), timeout: .seconds(5))
      let put = [Modification.put(.default, key: Data("later".utf8), value: Data())]
      return (try? await later.write(cluster.context(leader), put)) != nil
    }
    try await eventually("the later write applied on the healed store") {
      try store.kvDB.get(.default, Data("later".utf8)) != nil
    }
    let heard = answers.withLock { $0 }
    #expect(heard.count == 1)
    #expect(throws: RegionError.self) { try heard.first?.get() }
    if case .failure(let error) = heard.first {
      #expect((error as? RegionError)?.error.hasUndeterminedResult == true)
      #expect("\(error)".contains("outcome is unknown"))
    }
  }

  @Test func aWriteWithACallbackIsAnsweredOnceApplied() async throws {
    let cluster = try Cluster(count: 3)
    let leader = try await cluster.leader()
    let storage = RaftStorage(store: try #require(cluster.stores[leader]), timeout: .seconds(5))
    let context = cluster.context(leader)
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
      storage.write(context, [.put(.default, key: Data("k".utf8), value: Data("v".utf8))]) {
        continuation.resume(with: $0)
      }
    }
    #expect(try await storage.reader(context).get(.default, Data("k".utf8)) == Data("v".utf8))
  }

  @Test func answersBeforeTheDeadlineArriveUnchanged() async throws {
    let cluster = try Cluster(count: 3)
    let leader = try await cluster.leader()
    let storage = RaftStorage(store: try #require(cluster.stores[leader]), timeout: .seconds(5))
    let context = cluster.context(leader)
    try await storage.write(context, [.put(.default, key: Data("k".utf8), value: Data("v".utf8))])
    #expect(try await storage.reader(context).get(.default, Data("k".utf8)) == Data("v".utf8))
  }
}
