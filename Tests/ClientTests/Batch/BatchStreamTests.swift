import Client
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Synchronization
import Testing
import TinyKVProto

/// The `BatchCommands` stream over the real loopback transport, against a fake store serving
/// it as every TinyKv service does: answers matched by id in any order, deadlines swept,
/// commands failed as written or not when the stream breaks, a new stream after.
@Suite("Batch streams")
struct BatchStreamTests {
  /// An empty command answered after `delay` milliseconds, echoing `id`.
  func empty(_ id: UInt64, delay: UInt64 = 0) -> BatchCommand {
    var command = BatchCommand()
    command.empty.testID = id
    command.empty.delayTime = delay
    return command
  }

  /// Runs `body` with a batch stream to `address` and closes it after.
  func withStream(
    to address: String, _ body: (BatchStream) async throws -> Void
  ) async throws {
    let client = GRPCClient(transport: try HostAndPort(parsing: address).plaintextTransport())
    let connections = Task { try? await client.runConnections() }
    let stream = BatchStream(client: client)
    defer {
      stream.close()
      client.beginGracefulShutdown()
      connections.cancel()
    }
    try await body(stream)
  }

  var soon: ContinuousClock.Instant { .now + .seconds(20) }

  @Test("answers come back by id, in the order they are ready")
  func answersById() async throws {
    try await FakeCluster.run { cluster in
      let address = try #require(cluster.directory.state.withLock { $0.addresses[1] })
      try await withStream(to: address) { stream in
        let order = OrderRecorder()
        try await withThrowingTaskGroup(of: Void.self) { group in
          group.addTask {
            let answer = try await stream.send(empty(1, delay: 300), deadline: soon)
            #expect(answer.empty.testID == 1)
            order.record(1)
          }
          group.addTask {
            try await Task.sleep(for: .milliseconds(50))
            let answer = try await stream.send(empty(2), deadline: soon)
            #expect(answer.empty.testID == 2)
            order.record(2)
          }
          try await group.waitForAll()
        }
        #expect(order.values == [2, 1])
      }
    }
  }

  @Test("many concurrent commands on one stream each get their own answer")
  func manyConcurrent() async throws {
    try await FakeCluster.run { cluster in
      let address = try #require(cluster.directory.state.withLock { $0.addresses[1] })
      try await withStream(to: address) { stream in
        try await withThrowingTaskGroup(of: (UInt64, UInt64).self) { group in
          for id in UInt64(1)...500 {
            group.addTask { (id, try await stream.send(empty(id), deadline: soon).empty.testID) }
          }
          for try await (sent, echoed) in group { #expect(sent == echoed) }
        }
      }
    }
  }

  @Test("a command without an answer by its deadline fails as of unknown outcome")
  func deadlineSwept() async throws {
    try await FakeCluster.run { cluster in
      let address = try #require(cluster.directory.state.withLock { $0.addresses[1] })
      try await withStream(to: address) { stream in
        let clock = ContinuousClock()
        let start = clock.now
        await #expect {
          _ = try await stream.send(empty(1, delay: 3_000), deadline: .now + .milliseconds(200))
        } throws: { error in
          guard case .outcomeUnknown? = error as? BatchStreamError else { return false }
          return true
        }
        #expect(clock.now - start < .seconds(5))
        // The stream goes on serving.
        let echoed = try await stream.send(empty(2), deadline: soon).empty.testID
        #expect(echoed == 2)
      }
    }
  }

  @Test("a stream cut mid-call fails what it wrote as of unknown outcome; a new stream follows")
  func brokenStream() async throws {
    try await FakeCluster.run { cluster in
      let relay = try await cluster.relay(store: 1)
      defer { Task { await relay.stop() } }
      try await withStream(to: "127.0.0.1:\(relay.port)") { stream in
        let cut = Task {
          try await Task.sleep(for: .milliseconds(200))
          relay.dropAll()
        }
        await #expect {
          _ = try await stream.send(empty(1, delay: 10_000), deadline: soon)
        } throws: { error in
          guard case .outcomeUnknown? = error as? BatchStreamError else { return false }
          return true
        }
        try await cut.value
        // The connection comes back after the transport's backoff; until then a command is
        // not sent (never of unknown outcome).
        let clock = ContinuousClock()
        let giveUp = clock.now + .seconds(15)
        var echoed: UInt64?
        while echoed == nil, clock.now < giveUp {
          do {
            echoed = try await stream.send(empty(2), deadline: soon).empty.testID
          } catch BatchStreamError.notSent {
            try await Task.sleep(for: .milliseconds(50))
          }
        }
        #expect(echoed == 2)
      }
    }
  }

  @Test("a command to a store that is down was not sent")
  func storeDown() async throws {
    try await FakeCluster.run { cluster in
      let address = try #require(cluster.directory.state.withLock { $0.addresses[1] })
      await cluster.stop(store: 1)
      try await withStream(to: address) { stream in
        await #expect {
          _ = try await stream.send(empty(1), deadline: soon)
        } throws: { error in
          guard case .notSent? = error as? BatchStreamError else { return false }
          return true
        }
      }
    }
  }
}

/// The order in which concurrent tasks finished.
private final class OrderRecorder: Sendable {
  private let recorded = Mutex<[UInt64]>([])
  func record(_ value: UInt64) { recorded.withLock { $0.append(value) } }
  var values: [UInt64] { recorded.withLock { $0 } }
}
