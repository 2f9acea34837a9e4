import Foundation
import RaftStore
import RaftTransport
import TestSupport
import Testing
import TinyKVProto

@Suite("gRPC transport: Raft streams")
struct GRPCTransportTests {
  @Test("messages to a store arrive in the order they were sent, written in batches")
  func inOrderAndBatched() async throws {
    let harness = try TransportHarness()
    try await harness.server.start()
    try await harness.withTransport { transport in
      // Sent faster than one stream write each: they queue up while the stream opens.
      for index in 1...2000 { transport.send(Messages.append(to: 2, index: UInt64(index))) }
      try await eventually("2,000 messages to arrive") { harness.receiver.messages.count == 2000 }
      #expect(harness.receiver.messages.map(\.message.index) == (1...2000).map { UInt64($0) })
      let statistics = transport.statistics
      #expect(statistics.sentMessages == 2000)
      #expect(statistics.writtenBatches <= 1000)
      #expect(statistics.droppedMessages == 0)
      #expect(harness.reports.all.isEmpty)
      // Each written batch travelled as one BatchRaft message, delivered as one.
      #expect(harness.receiver.batches.withLock { $0 } == statistics.writtenBatches)
    }
  }

  @Test("a store without BatchRaft gets the messages on a Raft stream, in order")
  func fallsBackToRaft() async throws {
    let harness = try TransportHarness(batchRaft: false)
    try await harness.server.start()
    try await harness.withTransport { transport in
      var sent: UInt64 = 0
      // The first batch is lost to the refusal (and reported): send until messages arrive.
      try await eventually("messages to arrive on the Raft stream") {
        sent += 1
        transport.send(Messages.append(to: 2, index: sent))
        return harness.receiver.messages.count >= 10
      }
      let indexes = harness.receiver.messages.map(\.message.index)
      #expect(indexes == indexes.sorted())
      #expect(harness.receiver.batches.withLock { $0 } == 0)
    }
  }

  @Test("messages to a store that is down are dropped and reported; after it is back they arrive")
  func storeDownAndBack() async throws {
    let harness = try TransportHarness()
    try await harness.withTransport { transport in
      transport.send(Messages.append(region: 7, to: 2, index: 1))
      try await eventually("the unreachable report") {
        harness.reports.contains(.unreachable(regionID: 7, toPeerID: 2))
      }
      #expect(transport.statistics.droppedMessages >= 1)
      try await harness.server.start()
      var index: UInt64 = 1
      try await eventually("a message sent after the store came back to arrive") {
        index += 1
        transport.send(Messages.append(region: 7, to: 2, index: index))
        return !harness.receiver.messages.isEmpty
      }
      // The stream works again: later messages arrive in order, none lost.
      let first = try #require(harness.receiver.messages.first?.message.index)
      try await eventually("the rest to arrive") {
        harness.receiver.messages.last?.message.index == index
      }
      #expect(harness.receiver.messages.map(\.message.index) == Array(first...index))
    }
  }

  @Test("a store whose server stops is reported unreachable, and reached again after a restart")
  func serverRestarts() async throws {
    let harness = try TransportHarness()
    try await harness.server.start()
    try await harness.withTransport { transport in
      transport.send(Messages.append(to: 2, index: 1))
      try await eventually("the first message") { harness.receiver.messages.count == 1 }
      await harness.server.stop()
      var index: UInt64 = 1
      try await eventually("the unreachable report") {
        index += 1
        transport.send(Messages.append(to: 2, index: index))
        return harness.reports.contains(.unreachable(regionID: 1, toPeerID: 2))
      }
      try await harness.server.start()
      let before = harness.receiver.messages.count
      try await eventually("messages after the restart") {
        index += 1
        transport.send(Messages.append(to: 2, index: index))
        return harness.receiver.messages.count > before
      }
    }
  }

  @Test("a store the resolver cannot find is reported unreachable")
  func resolverFails() async throws {
    let harness = try TransportHarness()
    try await harness.server.start()
    try await harness.withTransport { transport in
      transport.send(Messages.append(region: 3, to: 9, index: 1))
      try await eventually("the unreachable report") {
        harness.reports.contains(.unreachable(regionID: 3, toPeerID: 9))
      }
      // Other stores are not held up.
      transport.send(Messages.append(to: 2, index: 1))
      try await eventually("the message to store 2") { harness.receiver.messages.count == 1 }
    }
  }

  @Test("a full queue drops what does not fit and reports it")
  func fullQueue() async throws {
    let harness = try TransportHarness()
    var config = GRPCTransportConfig.fast
    config.queueCapacity = 4
    try await harness.withTransport(config: config) { transport in
      // Nothing listens yet: the first stream is still connecting while these are queued.
      for index in 1...100 { transport.send(Messages.append(to: 2, index: UInt64(index))) }
      #expect(transport.statistics.droppedMessages >= 90)
      #expect(harness.reports.contains(.unreachable(regionID: 1, toPeerID: 2)))
    }
  }

  @Test("messages sent before start or after shutdown are dropped")
  func outsideLifetime() async throws {
    let transport = GRPCTransport(resolver: StaticStoreResolver([:]))
    transport.send(Messages.append(to: 2, index: 1))
    transport.start(snapshotFiles: FakeSnapshotFiles(), reports: { _ in })
    await transport.shutdown()
    transport.send(Messages.append(to: 2, index: 2))
    #expect(transport.statistics.droppedMessages == 2)
  }
}
