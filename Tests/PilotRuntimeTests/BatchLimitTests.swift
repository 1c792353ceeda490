import Testing

@testable import PilotRuntime

/// What a consumer gathers into one batch.
@Suite struct BatchLimitTests {
    @Test func aQuarterOfThePrefetch() {
        let limit = BatchLimit(prefetch: 400)
        #expect(limit.count == 100)
        #expect(limit.takesMore(count: 99, bytes: 0))
        #expect(!limit.takesMore(count: 100, bytes: 0))
        #expect(BatchLimit(prefetch: 1).count == 1)
    }

    /// Large bodies end a batch early: at most one body more than the budget is held.
    @Test func largeBodiesEndABatchEarly() {
        let limit = BatchLimit(prefetch: 400)
        #expect(limit.takesMore(count: 1, bytes: (16 << 20) - 1))
        #expect(!limit.takesMore(count: 1, bytes: 16 << 20))
        #expect(!limit.takesMore(count: 3, bytes: 3 * (8 << 20)))
    }
}
