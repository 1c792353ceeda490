import PilotJSON

extension PilotOutcome {
    /// `defs.v1.json#/$defs/user_feedback`: both numbers `null` with no responses.
    public struct UserFeedback: Codable, Hashable, Sendable {
        public var nps: Double?
        public var responses: Int
        public var averageScore: Double?

        enum CodingKeys: String, CodingKey {
            case nps, responses
            case averageScore = "average_score"
        }

        public init(nps: Double?, responses: Int, averageScore: Double?) {
            self.nps = nps
            self.responses = responses
            self.averageScore = averageScore
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(nps, forKey: .nps)
            try container.encode(responses, forKey: .responses)
            try container.encode(averageScore, forKey: .averageScore)
        }
    }
}

extension PilotOutcome.UserFeedback {
    var json: JSONValue {
        .object(JSONObject([
            ("nps", .number(nps)), ("responses", .int(Int64(responses))),
            ("average_score", .number(averageScore)),
        ]))
    }
}
