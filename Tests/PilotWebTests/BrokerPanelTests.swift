import Foundation
import PilotAMQP
import PilotRuntime
import PilotTestKit
import Synchronization
import Testing

@testable import PilotWeb

/// The overview's broker panel: a read browses every dead-letter queue, which counts a
/// delivery on each letter, so requests that find the cache stale at the same time share
/// one read.
@Suite struct BrokerPanelTests {
    final class Reads: Sendable {
        let asked = Mutex(0)
        let started = Mutex(0)
        let release = Mutex(false)
    }

    static func panel(_ reads: Reads) throws -> BrokerPanel {
        let access = BrokerAccess(
            broker: try AMQPNodes(Fixtures.nowhere), options: .init(), management: nil, stages: Stage.all, dayLength: .seconds(86_400))
        return BrokerPanel(broker: access, maxAge: .seconds(3600)) {
            let number = reads.started.withLock { $0 += 1; return $0 }
            while !reads.release.withLock({ $0 }) { try? await Task.sleep(for: .milliseconds(5)) }
            return BrokerPanel.Snapshot(error: "read \(number)")
        }
    }

    @Test func requestsArrivingTogetherShareOneRead() async throws {
        let reads = Reads()
        let panel = try Self.panel(reads)
        let requests = (0..<5).map { _ in
            Task {
                reads.asked.withLock { $0 += 1 }
                return await panel.snapshot().error
            }
        }
        try await waitUntil("every request asked and a read started") { reads.asked.withLock { $0 } == 5 && reads.started.withLock { $0 } >= 1 }
        // The others have had every chance to start their own.
        for _ in 0..<50 { await Task.yield() }
        try await Task.sleep(for: .milliseconds(50))
        reads.release.withLock { $0 = true }
        var answers: [String?] = []
        for request in requests { answers.append(await request.value) }
        #expect(answers == Array(repeating: "read 1", count: 5))
        #expect(reads.started.withLock { $0 } == 1)
        #expect(await panel.snapshot().error == "read 1", "kept for maxAge")
    }

    @Test func aReplayStartsAFreshRead() async throws {
        let reads = Reads()
        reads.release.withLock { $0 = true }
        let panel = try Self.panel(reads)
        #expect(await panel.snapshot().error == "read 1")
        panel.invalidate()
        #expect(await panel.snapshot().error == "read 2")
    }
}
