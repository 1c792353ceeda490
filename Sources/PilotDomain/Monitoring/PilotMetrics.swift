/// The data of `pilot.metrics`: one pilot day's measurements
/// (`schemas/pilot.metrics.v1.json`). A second report for the same day
/// replaces the first whole; callers pass at most one per day.
public struct PilotMetrics: Codable, Hashable, Sendable {
    /// One day's technical measurements (`defs.v1.json#/$defs/technical_metrics`).
    public struct Technical: Codable, Hashable, Sendable {
        /// 95th-percentile latency over the day, ms.
        public var latencyP95Ms: Double?
        /// Share of correct results, percent.
        public var accuracyPct: Double?
        /// Availability over the day, percent.
        public var uptimePct: Double?
        /// Share of failed requests, percent.
        public var errorRatePct: Double?
        /// Requests served that day.
        public var requests: Int?

        enum CodingKeys: String, CodingKey {
            case latencyP95Ms = "latency_p95_ms"
            case accuracyPct = "accuracy_pct"
            case uptimePct = "uptime_pct"
            case errorRatePct = "error_rate_pct"
            case requests
        }

        public init(latencyP95Ms: Double? = nil, accuracyPct: Double? = nil, uptimePct: Double? = nil,
            errorRatePct: Double? = nil, requests: Int? = nil)
        {
            self.latencyP95Ms = latencyP95Ms
            self.accuracyPct = accuracyPct
            self.uptimePct = uptimePct
            self.errorRatePct = errorRatePct
            self.requests = requests
        }
    }

    /// One day's business measurements (`defs.v1.json#/$defs/business_metrics`).
    public struct Business: Codable, Hashable, Sendable {
        /// Distinct users that day.
        public var activeUsers: Int?
        /// Staff hours saved that day against the baseline.
        public var hoursSaved: Double?
        /// Tasks completed with the product that day.
        public var tasksCompleted: Int?

        enum CodingKeys: String, CodingKey {
            case activeUsers = "active_users"
            case hoursSaved = "hours_saved"
            case tasksCompleted = "tasks_completed"
        }

        public init(activeUsers: Int? = nil, hoursSaved: Double? = nil, tasksCompleted: Int? = nil) {
            self.activeUsers = activeUsers
            self.hoursSaved = hoursSaved
            self.tasksCompleted = tasksCompleted
        }
    }

    /// The pilot day measured, 1 to the pilot's duration.
    public var day: Int
    public var technical: Technical?
    public var business: Business?

    public init(day: Int, technical: Technical? = nil, business: Business? = nil) {
        self.day = day
        self.technical = technical
        self.business = business
    }

    /// The day's value of `metric`, named as in the event (`latency_p95_ms`,
    /// `hours_saved`, `requests`, …); `nil` when not measured that day or when
    /// no field of the event has that name (`roi_pct`, `nps`).
    public func value(of metric: String) -> Double? {
        switch metric {
        case "latency_p95_ms": technical?.latencyP95Ms
        case "accuracy_pct": technical?.accuracyPct
        case "uptime_pct": technical?.uptimePct
        case "error_rate_pct": technical?.errorRatePct
        case "requests": technical?.requests.map(Double.init)
        case "active_users": business?.activeUsers.map(Double.init)
        case "hours_saved": business?.hoursSaved
        case "tasks_completed": business?.tasksCompleted.map(Double.init)
        default: nil
        }
    }
}
