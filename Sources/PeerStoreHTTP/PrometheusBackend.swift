import Metrics
import NIOConcurrencyHelpers
import Prometheus

/// The process's Prometheus backend for swift-metrics: bootstrapped once per process (swift-metrics allows one
/// bootstrap), after which every counter, gauge and timer of the libraries lands in `registry`.
public enum PrometheusBackend {
    private static let bootstrapped = NIOLockedValueBox<PrometheusCollectorRegistry?>(nil)

    /// Bootstraps swift-metrics with a `PrometheusMetricsFactory` the first time; later calls return the same registry.
    public static func bootstrapOnce() -> PrometheusCollectorRegistry {
        bootstrapped.withLockedValue { registry in
            if let registry { return registry }
            let made = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(factory(into: made))
            registry = made
            return made
        }
    }

    /// A swift-metrics factory into `registry` that names metrics as `PrometheusNaming` says (tests use it without
    /// bootstrapping).
    public static func factory(into registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.nameAndLabelSanitizer = { name, labels in (PrometheusNaming.exported(name), labels) }
        return factory
    }
}
