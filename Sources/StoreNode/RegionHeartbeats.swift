import Client
import Foundation
import Logging
import RaftStore
import Synchronization
import TinyKVProto

/// Carries out operator steps on this store (the raft store's leaders).
public protocol OperatorExecutor: Sendable {
  /// Starts `step` on region `regionID` if this store's peer `leader` still leads it at
  /// `epoch`; a step for a stale epoch or a peer that no longer leads is ignored (the
  /// scheduler asks again on the next heartbeat).
  func execute(
    _ step: RegionOperation, regionID: UInt64, epoch: Metapb_RegionEpoch, leader: Metapb_Peer)
}

/// Forwards a store's region heartbeats to the scheduler on one long-lived stream, and hands
/// the operator steps that come back to an executor. A broken stream is reopened with
/// backoff; heartbeats sent while it is down are dropped (each leader sends the next one on its
/// own schedule, and the scheduler only needs the latest).
public final class RegionHeartbeats: Sendable {
  /// The scheduler.
  public let scheduler: SchedulerClient
  /// Carries out the steps.
  public let executor: any OperatorExecutor
  /// Where stream failures are reported.
  public let logger: Logger
  /// The first and the longest wait before reopening a broken stream.
  public let backoff: (initial: Duration, maximum: Duration)
  private let stream = Mutex<RegionHeartbeatSender?>(nil)

  /// A forwarder to `scheduler` whose steps go to `executor`; call ``run()``.
  public init(
    scheduler: SchedulerClient, executor: any OperatorExecutor, logger: Logger,
    backoff: (initial: Duration, maximum: Duration) = (.milliseconds(100), .seconds(5))
  ) {
    self.scheduler = scheduler
    self.executor = executor
    self.logger = logger
    self.backoff = backoff
  }

  /// Queues `heartbeat` on the open stream; never blocks.
  /// - Returns: false if no stream is open (the heartbeat is dropped).
  @discardableResult
  public func send(_ heartbeat: RegionHeartbeat) -> Bool {
    guard let sender = stream.withLock({ $0 }) else { return false }
    sender.send(Self.request(heartbeat))
    return true
  }

  /// Keeps the stream open until the task is cancelled.
  public func run() async {
    var delay = backoff.initial
    while !Task.isCancelled {
      let executor = executor
      do {
        try await scheduler.regionHeartbeats(
          onResponse: { response in Self.dispatch(response, to: executor) }
        ) { sender in
          self.stream.withLock { $0 = sender }
          defer { self.stream.withLock { $0 = nil } }
          // Holds the stream open until this task is cancelled (shutdown or a broken stream).
          let (never, _) = AsyncStream.makeStream(of: Void.self)
          for await _ in never {}
        }
        delay = backoff.initial
      } catch {
        if Task.isCancelled { return }
        logger.warning("region heartbeat stream failed; reopening in \(delay): \(error)")
        try? await Task.sleep(for: delay)  // backoff before reopening
        delay = min(delay * 2, backoff.maximum)
      }
    }
  }

  static func request(_ heartbeat: RegionHeartbeat) -> Schedulerpb_RegionHeartbeatRequest {
    var request = Schedulerpb_RegionHeartbeatRequest()
    request.region = heartbeat.region
    request.leader = heartbeat.leader
    request.pendingPeers = heartbeat.pendingPeers
    request.approximateSize = heartbeat.approximateSize
    request.term = heartbeat.term
    return request
  }

  /// Hands the step a response carries (if any) to `executor`.
  static func dispatch(
    _ response: Schedulerpb_RegionHeartbeatResponse, to executor: any OperatorExecutor
  ) {
    guard !response.header.hasError || response.header.error.type == .ok else { return }
    let step: RegionOperation
    if response.hasChangePeer {
      step = .changePeer(response.changePeer.changeType, response.changePeer.peer)
    } else if response.hasTransferLeader {
      step = .transferLeader(response.transferLeader.peer)
    } else {
      return
    }
    executor.execute(
      step, regionID: response.regionID, epoch: response.regionEpoch, leader: response.targetPeer)
  }
}
