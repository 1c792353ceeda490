import Foundation

/// The data of `pilot.feedback`: one user's 0–10 "how likely are you to
/// recommend" answer (`schemas/pilot.feedback.v1.json`). The latest response
/// per respondent e-mail counts (see `FeedbackSummary`).
public struct PilotFeedback: Codable, Hashable, Sendable {
    /// Who answered.
    public struct Respondent: Codable, Hashable, Sendable {
        public var name: String
        /// Identifies the respondent (compared case-insensitively).
        public var email: String
        public var role: String?

        public init(name: String, email: String, role: String? = nil) {
            self.name = name
            self.email = email
            self.role = role
        }
    }

    public var respondent: Respondent
    /// 0 to 10: 9–10 promoter, 7–8 passive, 0–6 detractor.
    public var score: Int
    public var comment: String?
    public var submittedAt: Date

    enum CodingKeys: String, CodingKey {
        case respondent, score, comment
        case submittedAt = "submitted_at"
    }

    public init(respondent: Respondent, score: Int, comment: String? = nil, submittedAt: Date) {
        self.respondent = respondent
        self.score = score
        self.comment = comment
        self.submittedAt = submittedAt
    }
}
