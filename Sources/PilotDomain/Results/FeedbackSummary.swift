import Foundation

/// The users' feedback in numbers: Net Promoter Score, responses, average score
/// and the comments worth quoting.
///
/// Only the latest response per respondent e-mail (compared case-insensitively)
/// counts; of two with the same `submittedAt`, the later in the input wins.
/// NPS = % promoters (9–10) − % detractors (0–6), rounded to one decimal, half
/// away from zero; `nil` with no responses. The average is rounded the same way.
public struct FeedbackSummary: Hashable, Sendable {
    /// A comment to quote, with who said it.
    public struct Quote: Hashable, Sendable {
        public var name: String
        public var role: String?
        public var score: Int
        public var comment: String

        public init(name: String, role: String? = nil, score: Int, comment: String) {
            self.name = name
            self.role = role
            self.score = score
            self.comment = comment
        }
    }

    /// The responses that count, oldest first.
    public var responses: [PilotFeedback]
    /// −100…100 to one decimal; `nil` with no responses.
    public var nps: Double?
    /// 0…10 to one decimal; `nil` with no responses.
    public var averageScore: Double?
    /// Scores 9 and 10.
    public var promoters: Int
    /// Scores 7 and 8.
    public var passives: Int
    /// Scores 0 to 6.
    public var detractors: Int
    /// Responses with a non-empty comment, oldest first.
    public var quotes: [Quote]

    /// The summary of `feedback`, in any order.
    public init(_ feedback: [PilotFeedback]) {
        var latest: [String: (offset: Int, response: PilotFeedback)] = [:]
        for (offset, response) in feedback.enumerated() {
            let key = response.respondent.email.lowercased()
            if let seen = latest[key], seen.response.submittedAt > response.submittedAt { continue }
            latest[key] = (offset, response)
        }
        let counted = latest.values.sorted {
            ($0.response.submittedAt, $0.offset) < ($1.response.submittedAt, $1.offset)
        }.map(\.response)
        responses = counted
        let scores = counted.map { min(10, max(0, $0.score)) }
        promoters = scores.filter { $0 >= 9 }.count
        detractors = scores.filter { $0 <= 6 }.count
        passives = scores.count - promoters - detractors
        if scores.isEmpty {
            nps = nil
            averageScore = nil
        } else {
            nps = Self.oneDecimal(Double(promoters - detractors) * 100 / Double(scores.count))
            averageScore = Self.oneDecimal(Double(scores.reduce(0, +)) / Double(scores.count))
        }
        quotes = counted.compactMap { response in
            guard let comment = response.comment.map(MarkdownText.singleLine), !comment.isEmpty else { return nil }
            return Quote(name: response.respondent.name, role: response.respondent.role, score: response.score,
                comment: comment)
        }
    }

    /// Number of responses counted.
    public var count: Int { responses.count }

    /// Half away from zero, to one decimal, on the decimal a person reads.
    static func oneDecimal(_ value: Double) -> Double {
        Double(NumberText.plain(value, maxFractionDigits: 1)) ?? value
    }
}
