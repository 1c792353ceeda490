import Foundation
import PilotDomain
import Testing

@Suite struct KickoffSchedulerTests {
    let scheduler = KickoffScheduler()

    func slot(_ now: String, _ zone: String, _ scheduler: KickoffScheduler = KickoffScheduler()) -> KickoffSlot {
        scheduler.slot(after: Fixtures.utc(now), in: Fixtures.zone(zone))
    }

    @Test func nextBusinessDayAtTenInNewYork() {
        // Wednesday 04:00 EST → Thursday 10:00 EST.
        let slot = slot("2026-11-25T09:00:00Z", "America/New_York")
        #expect(slot.start == Fixtures.utc("2026-11-26T15:00:00Z"))
        #expect(slot.end == Fixtures.utc("2026-11-26T15:30:00Z"))
        #expect(slot.minutes == 30)
        #expect(slot.localStart.description == "2026-11-26 10:00")
        #expect(slot.localEnd.description == "2026-11-26 10:30")
        #expect(slot.localDescription == "Thursday, 26 November 2026, 10:00–10:30 (America/New_York, UTC-05:00)")
        #expect(slot.shortDescription == "Thu 26 Nov, 10:00 America/New_York")
    }

    @Test func lateFridayInLosAngelesGoesToTuesday() {
        // Friday 16:45 PST: one business day on is Monday 16:45, past the last slot (16:30), so Tuesday.
        let slot = slot("2026-11-28T00:45:00Z", "America/Los_Angeles")
        #expect(slot.localStart.description == "2026-12-01 10:00")
        #expect(slot.start == Fixtures.utc("2026-12-01T18:00:00Z"))
    }

    @Test func fridayAfternoonGoesToMondayAtTheSameHalfHour() {
        // Friday 14:10 CET → Monday 14:10 at the earliest → 14:30.
        let slot = slot("2026-11-27T13:10:00Z", "Europe/Berlin")
        #expect(slot.localStart.description == "2026-11-30 14:30")
        #expect(slot.start == Fixtures.utc("2026-11-30T13:30:00Z"))
    }

    @Test func weekendCountsFromMondayInKolkata() {
        // Saturday noon IST (+05:30) → Monday 00:00 → Tuesday 10:00.
        let slot = slot("2026-11-28T06:30:00Z", "Asia/Kolkata")
        #expect(slot.localStart.description == "2026-12-01 10:00")
        #expect(slot.start == Fixtures.utc("2026-12-01T04:30:00Z"))
        #expect(slot.utcOffsetSeconds == 19_800)
        #expect(slot.localDescription.hasSuffix("(Asia/Kolkata, UTC+05:30)"))
    }

    @Test func aucklandAheadOfUTC() {
        // Wednesday 14:20 NZDT (+13) is still Tuesday in UTC → Thursday 14:30 NZDT.
        let slot = slot("2026-11-25T01:20:00Z", "Pacific/Auckland")
        #expect(slot.localStart.description == "2026-11-26 14:30")
        #expect(slot.start == Fixtures.utc("2026-11-26T01:30:00Z"))
        #expect(slot.utcOffsetSeconds == 13 * 3_600)
    }

    @Test func aucklandDaylightSavingStartsInSeptember() {
        // NZ moves to NZDT on Sunday 27 September 2026. Friday 25th 11:00 NZST (+12) → Monday 28th 11:00 NZDT (+13).
        let slot = slot("2026-09-24T23:00:00Z", "Pacific/Auckland")
        #expect(slot.localStart.description == "2026-09-28 11:00")
        #expect(slot.start == Fixtures.utc("2026-09-27T22:00:00Z"))
    }

    @Test func springForwardWeekendKeepsTheWallClock() {
        // US clocks go forward on Sunday 14 March 2027. Friday 12:00 PST → Monday 12:00 PDT (UTC-7).
        let slot = slot("2027-03-12T20:00:00Z", "America/Los_Angeles")
        #expect(slot.localStart.description == "2027-03-15 12:00")
        #expect(slot.start == Fixtures.utc("2027-03-15T19:00:00Z"))
        #expect(slot.localDescription.hasSuffix("(America/Los_Angeles, UTC-07:00)"))
    }

    @Test func onTheFallBackSundayInBerlin() {
        // Sunday 25 October 2026, clocks back at 03:00 CEST: → Tuesday 10:00 CET (UTC+1).
        let slot = slot("2026-10-25T10:00:00Z", "Europe/Berlin")
        #expect(slot.localStart.description == "2026-10-27 10:00")
        #expect(slot.start == Fixtures.utc("2026-10-27T09:00:00Z"))
    }

    @Test func aWallTimeSkippedByDaylightSavingIsNeverProposed() {
        // Israel moves clocks from 02:00 to 03:00 on Friday 26 March 2027. With night hours and no notice,
        // 02:00 and 02:30 that Friday do not exist; the first real slot is 03:00 IDT (UTC+3).
        let night = KickoffScheduler(businessHours: BusinessWindow(start: "00:00", end: "06:00")!,
            preferredStart: LocalTime("02:00")!, leadBusinessDays: 0)
        let slot = slot("2027-03-25T20:00:00Z", "Asia/Jerusalem", night)
        #expect(slot.localStart.description == "2027-03-26 03:00")
        #expect(slot.start == Fixtures.utc("2027-03-26T00:00:00Z"))
    }

    @Test func wallClockToInstantAcrossTransitions() {
        let losAngeles = Fixtures.zone("America/Los_Angeles")
        let skipped = LocalDateTime(date: Fixtures.date("2027-03-14"), time: LocalTime("02:30")!)
        #expect(skipped.instant(in: losAngeles) == nil)
        // 01:30 happens twice on 1 November 2026; the first (PDT) is chosen.
        let repeated = LocalDateTime(date: Fixtures.date("2026-11-01"), time: LocalTime("01:30")!)
        #expect(repeated.instant(in: losAngeles) == Fixtures.utc("2026-11-01T08:30:00Z"))
    }

    @Test func leadBusinessHoursAndPreferredStart() {
        var lead = Fixtures.request.lead
        lead.businessHours = BusinessHours(start: "07:00", end: "09:00")
        // The preferred 10:00 is after hours, so the grid starts at the start of business.
        let early = KickoffScheduler(lead: lead)
        #expect(early.businessHours.description == "07:00–09:00")
        #expect(slot("2026-11-25T09:00:00Z", "America/New_York", early).localStart.description == "2026-11-26 07:00")
        let afternoon = KickoffScheduler(preferredStart: LocalTime("14:15")!)
        #expect(slot("2026-11-25T09:00:00Z", "America/New_York", afternoon).localStart.description
            == "2026-11-26 14:30")
        let twoDays = KickoffScheduler(leadBusinessDays: 2)
        #expect(slot("2026-11-26T15:00:00Z", "America/New_York", twoDays).localStart.description
            == "2026-11-30 10:00")
    }

    @Test func unusableHoursFallBackToNineToFive() {
        #expect(BusinessWindow.resolved(BusinessHours(start: "17:00", end: "09:00")) == .standard)
        #expect(BusinessWindow.resolved(BusinessHours(start: "9:00", end: "17:00")) == .standard)
        #expect(BusinessWindow.resolved(BusinessHours(start: "12:00", end: "12:15")) == .standard)
        #expect(BusinessWindow.resolved(nil) == .standard)
        #expect(BusinessWindow.resolved(BusinessHours(start: "08:30", end: "16:00"))
            == BusinessWindow(start: "08:30", end: "16:00"))
    }

    @Test func everySlotIsAWeekdayInsideHoursAndAfterTheLeadTime() {
        let zones = ["America/Los_Angeles", "Europe/Berlin", "Asia/Kolkata", "Pacific/Auckland", "America/Sao_Paulo",
            "Australia/Lord_Howe", "Asia/Kathmandu", "UTC"]
        var now = Fixtures.utc("2026-01-01T00:00:00Z")
        // Every 7 h 13 min over a year: all weekdays, all hours, every DST change of these zones.
        while now < Fixtures.utc("2027-01-01T00:00:00Z") {
            for zone in zones {
                let slot = scheduler.slot(after: now, in: Fixtures.zone(zone))
                #expect(slot.localStart.date.isWeekday, "\(zone) \(now)")
                #expect(slot.localStart.time >= LocalTime("10:00")!, "\(zone) \(now)")
                #expect(slot.localEnd.time <= LocalTime("17:00")!, "\(zone) \(now)")
                #expect(slot.localStart.time.minute % 30 == 0)
                #expect(slot.minutes == 30)
                #expect(slot.start.timeIntervalSince(now) >= 14 * 3_600, "\(zone) \(now)")
                #expect(slot.start.timeIntervalSince(now) <= 6 * 86_400, "\(zone) \(now)")
            }
            now = now.addingTimeInterval(7 * 3_600 + 13 * 60)
        }
    }

    @Test func proposedStartIsTheWeekdayAfterTheKickoff() {
        let friday = slot("2026-11-26T15:00:00Z", "America/New_York")
        #expect(friday.localStart.date == Fixtures.date("2026-11-27"))
        #expect(ProposedStart.date(after: friday) == Fixtures.date("2026-11-30"))
    }

    @Test func calendarDates() {
        #expect(CalendarDate(iso: "2026-12-01")?.isoWeekday == 2)
        #expect(CalendarDate(iso: "2024-02-29") != nil)
        #expect(CalendarDate(iso: "2026-02-29") == nil)
        #expect(CalendarDate(iso: "2026-1-01") == nil)
        #expect(Fixtures.date("2026-12-01").adding(days: 29).iso == "2026-12-30")
        #expect(Fixtures.date("1969-12-31").daysSince1970 == -1)
        #expect(CalendarDate(daysSince1970: 0).iso == "1970-01-01")
        #expect(EnglishDate.withWeekday(Fixtures.date("2026-12-01")) == "Tuesday, 1 December 2026")
    }
}
