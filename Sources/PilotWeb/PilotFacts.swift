import Contracts
import Foundation
import PilotDomain
import PilotJSON
import PilotStore

/// What the pages show of a pilot's state, read defensively from its JSON: the stages
/// own that document and add fields over time, so a field that is missing or has another
/// shape leaves its line out instead of failing the page.
struct PilotFacts {
    var threadID: String
    var company: String
    var contacts: [(name: String, email: String)]
    var timeZone: TimeZone
    var founder: String?
    var durationDays: Int?
    /// The pilot days its results judged, once they are in (fewer than `durationDays`
    /// after an early close).
    var resultsDays: Int?
    var useCases: [(title: String, description: String)]
    var supportLevel: String?
    var pricing: String?
    var criteria: [Criterion]
    var kickoffStart: Date?
    var signedAt: Date?
    var signedBy: String?
    var startDate: String?
    var proposedStartDate: String?
    var declinedReason: String?
    var health: Health?

    /// The health score the lifecycle helper keeps under `health`, when it is there.
    struct Health {
        var score: Int
        var label: String
        var reasons: [String]

        /// good ≥ 70, warn ≥ 40, else bad: the CSS class of the score.
        var tone: String { score >= 70 ? "good" : score >= 40 ? "warn" : "bad" }
    }

    /// - Parameter criteria: whether to decode the criteria (the buyer's page needs them,
    ///   a row of the overview does not).
    init(_ record: PilotRecord, criteria decodeCriteria: Bool = true) {
        let state = record.state
        let request = state["request"]
        let lead = request?["lead"]
        let terms = request?["terms"]
        threadID = record.threadID
        company = lead?["company"]?["name"]?.string ?? record.threadID
        contacts = (lead?["contacts"]?.array ?? []).compactMap { contact in
            guard let name = contact["name"]?.string else { return nil }
            return (name, contact["email"]?.string ?? "")
        }
        timeZone = lead?["timezone"]?.string.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "UTC")!
        founder = request?["founder"]?["name"]?.string
        durationDays = (state["duration_days"]?.integer ?? terms?["duration_days"]?.integer).map { Int($0) }
        resultsDays = (state["results_days"]?.integer ?? state["results_requested_day"]?.integer).map { Int($0) }
        useCases = (terms?["use_cases"]?.array ?? []).compactMap { item in
            guard let title = item["title"]?.string else { return nil }
            return (title, item["description"]?.string ?? "")
        }
        supportLevel = terms?["support_level"]?.string.map { level in
            switch level {
            case "daily_checkins": "Daily check-ins"
            case "async": "Asynchronous support"
            default: level
            }
        }
        pricing = terms?["pricing"].flatMap(Self.pricingText)
        let decoder = JSONValueDecoder()
        criteria = !decodeCriteria ? [] : (state["criteria"]?.array ?? []).compactMap {
            try? decoder.decode(Criterion.self, from: $0)
        }
        kickoffStart = state["kickoff_start"]?.string.flatMap(Self.date)
        signedAt = state["signed_at"]?.string.flatMap(Self.date)
        signedBy = state["signed_by"]?["name"]?.string
        startDate = state["start_date"]?.string
        proposedStartDate = state["proposed_start_date"]?.string
        declinedReason = state["declined_reason"]?.string
        if let health = state["health"], let score = health["score"]?.number {
            self.health = Health(
                score: Int(score.rounded()), label: health["label"]?.string ?? "",
                reasons: (health["reasons"]?.array ?? []).compactMap(\.string))
        }
    }

    static func pricingText(_ pricing: JSONValue) -> String? {
        guard let model = pricing["model"]?.string else { return nil }
        let currency = pricing["currency"]?.string ?? ""
        let price = pricing["list_price_annual"]?.number.map { NumberText.money($0, currency: currency) + " a year" }
        switch model {
        case "free": return "Free pilot" + (price.map { "; list price \($0)" } ?? "")
        case "discounted":
            let discount = pricing["discount_pct"]?.number.map { NumberText.percent($0) + " off" } ?? "discounted"
            return "Discounted pilot (\(discount))" + (price.map { " of \($0)" } ?? "")
        default: return model
        }
    }

    /// RFC 3339 with or without fractional seconds.
    static func date(_ text: String) -> Date? {
        EventTime.date(text)
    }
}
