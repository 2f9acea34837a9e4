import Failpoints
import Logging
import RaftStore
import Synchronization
import TinyKVProto

/// Carries Raft messages to other stores over gRPC: one long-lived client-streaming `Raft`
/// call per destination store, fed from a bounded queue in batches, and `MsgSnapshot`s on
/// `Snapshot` calls of their own with the snapshot files in chunks (docs/TRANSPORT.md).
///
/// Life cycle: create it, hand it to the `RaftStore`, call ``start(snapshotFiles:reports:)``
/// (before the store starts, so no message is dropped), and ``shutdown()`` after the store
/// stops. States: idle → running → stopped; messages sent while idle or stopped are dropped.
public final class GRPCTransport: Transport {
  /// What ``start(snapshotFiles:reports:)`` wires in.
  private struct Wiring {
    let report: @Sendable (DeliveryReport) -> Void
    let snapshots: SnapshotSender
  }

  private enum Phase {
    case idle
    case running(Wiring)
    case stopped
  }

  private struct State {
    var phase = Phase.idle
    var links: [UInt64: StoreLink] = [:]
    var tasks: [Task<Void, Never>] = []
  }

  /// Tunables.
  public let config: GRPCTransportConfig
  private let resolver: any StoreResolver
  private let logger: Logger
  private let state = Mutex(State())
  private let counters = TransportCounters()

  /// A transport finding stores through `resolver`; call ``start(snapshotFiles:reports:)``.
  public init(
    resolver: any StoreResolver, config: GRPCTransportConfig = GRPCTransportConfig(),
    logger: Logger = Logger(label: "tinykv.transport")
  ) {
    self.resolver = resolver
    self.config = config
    self.logger = logger
  }

  /// Starts sending.
  /// - Parameters:
  ///   - snapshotFiles: where the snapshots that `MsgSnapshot`s announce are read from (the
  ///     store's own snapshot files).
  ///   - reports: receives a report for every message the transport gives up on and for every
  ///     snapshot sent or failed (the store's report method). Called from the transport's
  ///     tasks, and from `send` for a message dropped at once; it must not block.
  public func start(
    snapshotFiles: any SnapshotFiles,
    reports: @escaping @Sendable (DeliveryReport) -> Void
  ) {
    let snapshots = SnapshotSender(
      files: snapshotFiles, resolver: resolver, config: config, report: reports, logger: logger)
    let started = state.withLock { state -> Bool in
      guard case .idle = state.phase else { return false }
      state.phase = .running(Wiring(report: reports, snapshots: snapshots))
      state.tasks.append(Task { await snapshots.run() })
      return true
    }
    if !started { logger.warning("start called on a transport that is not idle; ignored") }
  }

  /// Queues `message` for its store without blocking; when it must be dropped (the store's
  /// queue is full or the store is unreachable), reports the peer unreachable.
  public func send(_ message: RaftServerpb_RaftMessage) {
    let isSnapshot = message.message.msgType == .msgSnapshot
    let storeID = message.toPeer.storeID
    if Self.partitioned(from: storeID) {
      counters.dropped(1)
      return
    }
    let route = state.withLock { state -> (Wiring, StoreLink?)? in
      guard case .running(let wiring) = state.phase else { return nil }
      if isSnapshot { return (wiring, nil) }
      if let link = state.links[storeID] { return (wiring, link) }
      return (wiring, openLink(to: storeID, in: &state, report: wiring.report))
    }
    guard let (wiring, link) = route else {
      counters.dropped(1)
      return
    }
    guard let link else {
      wiring.snapshots.offer(message)
      return
    }
    if !link.offer(message) { drop([message], report: wiring.report) }
  }

  /// Creates the link to `storeID` and starts its task (under the state lock).
  private func openLink(
    to storeID: UInt64, in state: inout State, report: @escaping @Sendable (DeliveryReport) -> Void
  ) -> StoreLink {
    let link = StoreLink(
      storeID: storeID, capacity: config.queueCapacity, counters: counters, logger: logger)
    state.links[storeID] = link
    state.tasks.append(
      Task { [self] in
        await link.run(resolver: resolver, backoff: config.reconnectBackoff) { [self] messages in
          drop(messages, report: report)
        }
      })
    return link
  }

  /// Counts `messages` as dropped and reports each region peer among them unreachable, once.
  private func drop(
    _ messages: [RaftServerpb_RaftMessage], report: @Sendable (DeliveryReport) -> Void
  ) {
    counters.dropped(messages.count)
    var seen = Set<[UInt64]>()
    for message in messages where seen.insert([message.regionID, message.toPeer.id]).inserted {
      report(.unreachable(regionID: message.regionID, toPeerID: message.toPeer.id))
    }
  }

  /// What the transport has done so far.
  public var statistics: TransportStatistics { counters.statistics }

  /// Ends every stream and waits for the transport's tasks to finish. Idempotent.
  public func shutdown() async {
    let (links, tasks, snapshots) = state.withLock { state in
      var snapshots: SnapshotSender?
      if case .running(let wiring) = state.phase { snapshots = wiring.snapshots }
      state.phase = .stopped
      defer {
        state.links = [:]
        state.tasks = []
      }
      return (Array(state.links.values), state.tasks, snapshots)
    }
    snapshots?.close()
    for link in links { link.close() }
    for task in tasks { task.cancel() }
    for task in tasks { await task.value }
  }
}

extension GRPCTransport {
  /// Failpoint `transport::send`: `return` drops every message; `return(2,3)` drops those to
  /// stores 2 and 3 (a one-way partition from this store; set it on both sides to cut a link).
  static func partitioned(from storeID: UInt64) -> Bool {
    guard let outcome = Failpoints.evaluate("transport::send") else { return false }
    guard let stores = outcome else { return true }
    return stores.split(separator: ",").contains {
      UInt64($0.trimmingCharacters(in: .whitespaces)) == storeID
    }
  }
}
