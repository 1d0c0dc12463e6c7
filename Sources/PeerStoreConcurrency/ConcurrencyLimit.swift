/// How much work `forEachConcurrently` keeps in flight: at most `tasks` elements at once and, with a weight limit,
/// no new start while the running elements weigh `weightLimit` or more. One element may always run, so a limit below
/// one, or an element heavier than the weight limit, still makes progress.
public struct ConcurrencyLimit: Sendable, Equatable {
    public var tasks: Int
    public var weightLimit: Int?

    public init(tasks: Int, weightLimit: Int? = nil) {
        self.tasks = tasks
        self.weightLimit = weightLimit
    }

    /// Whether another element may start while `running` elements weighing `weight` in all are in flight.
    public func allowsStart(running: Int, weight: Int) -> Bool {
        running == 0 || (running < tasks && weight < (weightLimit ?? .max))
    }
}
