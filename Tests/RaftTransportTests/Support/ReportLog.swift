import RaftStore
import Synchronization

/// Collects a transport's delivery reports.
final class ReportLog: Sendable {
  private let reports = Mutex<[DeliveryReport]>([])

  /// The sink to hand the transport.
  var sink: @Sendable (DeliveryReport) -> Void {
    { report in self.reports.withLock { $0.append(report) } }
  }

  /// Whether `report` was received.
  func contains(_ report: DeliveryReport) -> Bool {
    reports.withLock { $0.contains(report) }
  }

  /// Every report so far.
  var all: [DeliveryReport] { reports.withLock { $0 } }
}
