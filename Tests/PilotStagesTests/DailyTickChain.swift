import PilotStore

/// The ticks a pilot's inbox holds, by chain: the daily ticks start at its signature, each
/// caused by the one before; the signature chase's timers (same event type) start at the
/// kickoff's cause, `pilot.agreement.generated`. A tick in neither chain is a stray: a
/// timer that should not exist.
struct TickChains {
    var daily: [InboxEntry] = []
    var chase: [InboxEntry] = []
    var stray: [InboxEntry] = []

    init(_ handled: [InboxEntry], signature: String) {
        let ticks = handled.filter { $0.type == "pilot.monitor.tick" }
        func chain(from start: String?) -> [InboxEntry] {
            var chain: [InboxEntry] = []
            var cause = start
            while let current = cause, let next = ticks.first(where: { $0.causationID == current }) {
                chain.append(next)
                cause = next.eventID
            }
            return chain
        }
        daily = chain(from: signature)
        chase = chain(from: handled.first { $0.type == "pilot.agreement.generated" }?.eventID)
        let chained = Set((daily + chase).map(\.eventID))
        stray = ticks.filter { !chained.contains($0.eventID) }
    }
}
