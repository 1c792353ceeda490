import Foundation

extension Lead {
    /// `timezone` as a Foundation zone; `nil` when the tz database does not know
    /// the name (the schema checks only its shape). The caller decides: a
    /// meeting at a guessed hour is worse than a dead letter that says why.
    public var timeZone: TimeZone? { TimeZone(identifier: timezone) }
}
