import PilotJSON

/// A day's health score with its reasons: what the snapshot, the weekly report, the
/// pilot's state and `pilotctl pilot show` carry.
///
/// The reasons are the factors that moved the score most since the same day a week
/// before (`reasons(today:weekBefore:)`), so a reader sees why it changed, not only
/// what it is.
public struct PilotHealth: Hashable, Sendable {
    /// One reason: a factor, and how many more points it takes off than a week before.
    public struct Reason: Hashable, Sendable {
        public var factor: HealthFactor
        /// Points lost now minus points lost a week before (negative: it improved);
        /// `nil` when there is no week before to compare with.
        public var change: Double?

        public init(factor: HealthFactor, change: Double?) {
            self.factor = factor
            self.change = change
        }

        /// "Uptime averages 98% …, below the ≥ 99.5% target (−15 points; 9 more than a week before)."
        public var text: String {
            var sentence = factor.sentence
            if sentence.hasSuffix(".") { sentence.removeLast() }
            var note = "−" + NumberText.plain(factor.pointsLost, maxFractionDigits: 1) + " points"
            if let change, change != 0 {
                note += "; " + NumberText.plain(abs(change), maxFractionDigits: 1)
                    + (change > 0 ? " more" : " fewer") + " than a week before"
            }
            return sentence + " (" + note + ")."
        }
    }

    public var score: HealthScore
    /// Two or three reasons at most, biggest first; empty for a pilot that loses nothing.
    public var reasons: [Reason]

    /// The health of `today`, explained against `weekBefore` (the same pilot evaluated
    /// through seven days earlier; `nil` before day 8).
    public init(today: PilotEvaluation, weekBefore: PilotEvaluation?) {
        score = HealthScore(today)
        reasons = Self.reasons(today: score, weekBefore: weekBefore.map { HealthScore($0, describing: false) })
    }

    /// The most reasons shown.
    public static let maxReasons = 3
    /// A change smaller than this is noise, not a reason.
    public static let minimumChange = 1.0

    /// The factors whose points lost changed by at least `minimumChange` since
    /// `weekBefore`, biggest change first (ties: more points lost now, then the factors'
    /// order), at most `maxReasons`. Without a week before, or when nothing moved, the
    /// factors that take off the most now (at least one point each).
    public static func reasons(today: HealthScore, weekBefore: HealthScore?) -> [Reason] {
        let indexed = Array(today.factors.enumerated())
        if let weekBefore {
            let moved = indexed.compactMap { index, factor -> (Int, Reason)? in
                let change = HealthFactor.oneDecimal(factor.pointsLost - (weekBefore.factor(factor.name)?.pointsLost ?? 0))
                return abs(change) >= minimumChange ? (index, Reason(factor: factor, change: change)) : nil
            }
            if !moved.isEmpty {
                return moved.sorted { a, b in
                    let (ca, cb) = (abs(a.1.change ?? 0), abs(b.1.change ?? 0))
                    if ca != cb { return ca > cb }
                    if a.1.factor.pointsLost != b.1.factor.pointsLost { return a.1.factor.pointsLost > b.1.factor.pointsLost }
                    return a.0 < b.0
                }.prefix(maxReasons).map(\.1)
            }
        }
        return indexed.filter { $0.element.pointsLost >= minimumChange }
            .sorted { $0.element.pointsLost != $1.element.pointsLost ? $0.element.pointsLost > $1.element.pointsLost : $0.offset < $1.offset }
            .prefix(maxReasons).map { Reason(factor: $0.element, change: nil) }
    }

    /// `{score, label, day, reasons}`: the `health` of `report.weekly` and of the pilot's
    /// state, the reasons as sentences.
    public var summaryJSON: JSONValue {
        .object(JSONObject([
            ("score", .int(Int64(score.score))), ("label", .string(score.label.rawValue)),
            ("day", .int(Int64(score.day))), ("reasons", .array(reasons.map { .string($0.text) })),
        ]))
    }

    /// `summaryJSON` plus every factor (`name`, `points_lost`, `max_points`, `sentence`):
    /// the snapshot's `health`.
    public var json: JSONValue {
        var members = summaryJSON.object ?? JSONObject()
        members["factors"] = .array(score.factors.map { factor in
            .object(JSONObject([
                ("name", .string(factor.name)), ("points_lost", .number(factor.pointsLost)),
                ("max_points", .number(factor.maxPoints)), ("sentence", .string(factor.sentence)),
            ]))
        })
        return .object(members)
    }
}
