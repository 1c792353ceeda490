import Testing

/// Marks a test that loads the whole machine (a 3-node cluster booting, dozens of
/// workers killed and restarted); such tests run one at a time. Side by side on two
/// cores, two clusters' six nodes took 95 s each to boot and their `join_cluster` ran out
/// of time, and the suites around them (one-second pilot days, HTTP reads) missed their
/// deadlines. Give a heavy test a time limit that also covers waiting for its turn:
/// Swift Testing starts a test's time limit before its scoping traits run, so the wait
/// here counts (unlike the wait for a place under
/// `SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH`, which comes first; `deploy/test.sh`).
public struct HeavyTest: TestTrait, SuiteTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        // A suite's own scope holds nothing: its tests take turns one by one.
        guard testCase != nil else { return try await function() }
        try await Self.turns.run(function)
    }

    static let turns = Turns()
}

extension Trait where Self == HeavyTest {
    /// Runs the test when no other heavy test runs; see `HeavyTest`.
    public static var heavy: Self { HeavyTest() }
}
