import Metrics
import Prometheus

/// Installs a Prometheus registry as the process's swift-metrics backend, with latency buckets
/// fine enough for sub-millisecond RPCs (100 µs to 10 s).
/// - Returns: the registry, for the status server's `/metrics`.
public func bootstrapPrometheusMetrics() -> PrometheusCollectorRegistry {
  let registry = PrometheusCollectorRegistry()
  var factory = PrometheusMetricsFactory(registry: registry)
  factory.defaultDurationHistogramBuckets = [
    .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1),
    .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(25),
    .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
    .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
  ]
  MetricsSystem.bootstrap(factory)
  return registry
}

/// The registry `/metrics` is rendered from.
public typealias MetricsRegistry = PrometheusCollectorRegistry
