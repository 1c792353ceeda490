import PilotTestKit
import Synchronization
import Testing

/// The gate that keeps heavy tests (`.heavy`) from running side by side.
struct TurnsTests {
    @Test(.timeLimit(.minutes(1))) func callersTakeTurnsAndAThrowingOneGivesItsTurnBack() async throws {
        let turns = Turns()
        let running = Tally()
        struct Refused: Error {}
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<6 {
                group.addTask {
                    try? await turns.run {
                        running.state.withLock { $0.now += 1; $0.most = max($0.most, $0.now); $0.ran += 1 }
                        // Chances for the others to start while this one holds its turn.
                        for _ in 0..<50 { await Task.yield() }
                        running.state.withLock { $0.now -= 1 }
                        if index.isMultiple(of: 2) { throw Refused() }
                    }
                }
            }
        }
        let counts = running.state.withLock { $0 }
        #expect(counts.most == 1)
        #expect(counts.ran == 6)
    }

    final class Tally: Sendable {
        let state = Mutex((now: 0, most: 0, ran: 0))
    }
}
