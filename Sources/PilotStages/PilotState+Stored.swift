import Contracts
import PilotDomain
import PilotJSON

extension PilotState {
    /// The stored state with the daily tick's changes written in: its memory and, on the
    /// last day, the day the results were asked for. Everything else a tick leaves as it
    /// was, and encoding it all again (the request, the criteria, the history) each day cost
    /// more than the day's evaluation. Without a stored object, the whole state.
    func writingDailyChanges(into stored: JSONValue?) throws -> JSONValue {
        let encoder = JSONValueEncoder()
        guard var object = stored?.object else { return try encoder.encode(self) }
        object[CodingKeys.health.stringValue] = try health.map { try encoder.encode($0) }
        object[CodingKeys.resultsRequestedDay.stringValue] = resultsRequestedDay.map { .int(Int64($0)) }
        return .object(object)
    }

    /// The pilot's length as `resolvedDuration` gives it, read from the stored state
    /// without decoding the rest: each day's metrics only need to know it.
    static func length(of stored: JSONValue) throws -> Int {
        try JSONValueDecoder().decode(Length.self, from: stored).resolved
    }

    private struct Length: Decodable {
        var durationDays: Int?
        var request: Request
        var resolved: Int { durationDays ?? request.terms.durationDays ?? Terms.defaultDurationDays }

        struct Request: Decodable { var terms: TermsLength }
        /// The one member of the request's terms it reads: all of `Terms` (use cases,
        /// pricing) was decoded for one number on every metrics report.
        struct TermsLength: Decodable {
            var durationDays: Int?
            enum CodingKeys: String, CodingKey { case durationDays = "duration_days" }
        }
        enum CodingKeys: String, CodingKey {
            case durationDays = "duration_days"
            case request
        }
    }
}
