/// The mutual action plan on the buyer's page: six milestones, each with an owner, a
/// date (done or planned) and whether it is done, derived from the pilot's state, its
/// metrics and where it is. Pure, so every rule is tested without a server.
struct Milestone: Equatable {
    enum Owner: String { case vendor = "Vendor", buyer = "Buyer" }
    var name: String
    var owner: Owner
    /// Written date, `planned …` when not done, or empty when nobody can tell yet.
    var date: String
    var done: Bool
}

enum Milestones {
    /// What the milestones are derived from.
    struct Inputs {
        var status: String
        var kickoff: String?
        var kickoffPassed: Bool
        var signed: String?
        var startDate: String?
        var durationDays: Int?
        /// The day the first metrics came (integration works), written.
        var firstMetrics: String?
        /// The pilot day reached, from the latest daily snapshot.
        var day: Int?
    }

    static let finished: Set<String> = ["results_compiled", "completed", "lost"]
    static let decided: Set<String> = ["completed", "lost"]

    static func derive(_ input: Inputs) -> [Milestone] {
        /// Start date + `offset` days; marked planned until done. Empty before a start date is agreed.
        func when(_ offset: Int, done: Bool) -> String {
            guard let start = input.startDate, let date = PageDates.calendarDay(start, plus: offset) else { return "" }
            return done ? date : "planned " + date
        }
        let duration = input.durationDays ?? 0
        let day = input.day ?? 0
        // The phases' boundaries: setup is the first quarter, the check-in halfway.
        let setupEnd = max(1, duration / 4)
        let midpoint = max(1, duration / 2)
        let over = finished.contains(input.status)
        return [
            Milestone(
                name: "Kickoff meeting", owner: .vendor, date: input.kickoff ?? "", done: input.kickoffPassed),
            Milestone(
                name: "Agreement signed", owner: .buyer, date: input.signed ?? "awaiting signature",
                done: input.signed != nil),
            Milestone(
                name: "Integration done (first metrics)", owner: .buyer,
                date: input.firstMetrics ?? when(setupEnd - 1, done: false), done: input.firstMetrics != nil),
            Milestone(
                name: "Mid-pilot check-in", owner: .vendor, date: when(midpoint - 1, done: day >= midpoint || over),
                done: day >= midpoint || over),
            Milestone(name: "Results readout", owner: .vendor, date: when(duration, done: over), done: over),
            Milestone(
                name: "Decision meeting", owner: .buyer, date: when(duration + 7, done: decided.contains(input.status)),
                done: decided.contains(input.status)),
        ]
    }
}
