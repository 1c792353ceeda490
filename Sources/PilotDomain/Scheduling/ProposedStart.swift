/// The pilot's proposed day 1: the first weekday after the kickoff, so that the
/// kickoff settles the plan before the clock starts.
public enum ProposedStart {
    public static func date(after kickoff: KickoffSlot) -> CalendarDate {
        var date = kickoff.localStart.date.adding(days: 1)
        while !date.isWeekday { date = date.adding(days: 1) }
        return date
    }
}
