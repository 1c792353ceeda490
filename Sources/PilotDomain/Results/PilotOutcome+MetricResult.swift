import PilotJSON

extension PilotOutcome {
    /// One row of targets versus actuals (`defs.v1.json#/$defs/metric_result`).
    public struct MetricResult: Codable, Hashable, Sendable {
        public var metric: String
        public var target: Double
        public var comparison: Criterion.Comparison
        /// `null` in JSON when no data was reported (and for a free pilot's ROI).
        public var actual: Double?
        public var met: Bool
        public var unit: String?

        enum CodingKeys: String, CodingKey { case metric, target, comparison, actual, met, unit }

        public init(metric: String, target: Double, comparison: Criterion.Comparison, actual: Double?, met: Bool,
            unit: String? = nil)
        {
            self.metric = metric
            self.target = target
            self.comparison = comparison
            self.actual = actual
            self.met = met
            self.unit = unit
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(metric, forKey: .metric)
            try container.encode(target, forKey: .target)
            try container.encode(comparison, forKey: .comparison)
            try container.encode(actual, forKey: .actual)
            try container.encode(met, forKey: .met)
            try container.encodeIfPresent(unit, forKey: .unit)
        }
    }
}

extension PilotOutcome.MetricResult {
    var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("metric", .string(metric)), ("target", .number(target)), ("comparison", .string(comparison.rawValue)),
            ("actual", .number(actual)), ("met", .bool(met)),
        ]
        if let unit { members.append(("unit", .string(unit))) }
        return .object(JSONObject(members))
    }
}
