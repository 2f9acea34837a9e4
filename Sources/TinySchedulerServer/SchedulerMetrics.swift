import Metrics
import Scheduler

/// Gauges of the cluster map, refreshed when Prometheus scrapes.
enum SchedulerMetrics {
  static func update(_ node: SchedulerNode) {
    Gauge(label: "tinyscheduler_regions").record(node.cluster.regionCount)
    guard let stores = try? node.cluster.stores(excludingTombstones: false) else { return }
    var byState: [String: Int] = ["up": 0, "offline": 0, "tombstone": 0]
    for store in stores {
      let state = store.isTombstone ? "tombstone" : store.isUp ? "up" : "offline"
      byState[state, default: 0] += 1
    }
    for (state, count) in byState {
      Gauge(label: "tinyscheduler_stores", dimensions: [("state", state)]).record(count)
    }
  }
}
