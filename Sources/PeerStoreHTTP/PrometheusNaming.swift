/// How swift-metrics labels become Prometheus names. The libraries name timers `..._duration` (any backend may
/// take them); Prometheus histograms of a timer are in seconds, and Prometheus names carry their unit, so a timer
/// label ending in `_duration` is exported as `..._duration_seconds`. Every other name is kept.
public enum PrometheusNaming {
    /// The exported name of the metric labelled `label`.
    public static func exported(_ label: String) -> String {
        label.hasSuffix("_duration") ? label + "_seconds" : label
    }
}
