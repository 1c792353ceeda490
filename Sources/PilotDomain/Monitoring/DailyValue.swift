/// One pilot day's value of a metric; `nil` when not reported that day.
public struct DailyValue: Hashable, Sendable {
    public var day: Int
    public var value: Double?

    public init(day: Int, value: Double?) {
        self.day = day
        self.value = value
    }
}
