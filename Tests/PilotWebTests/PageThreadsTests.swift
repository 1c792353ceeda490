import Foundation
import Hummingbird
import HummingbirdTesting
import PilotRuntime
import PilotStore
import PilotTestKit
import Testing
@testable import PilotWeb

/// Pages read the store and the documents (from a bucket, over libcurl) with blocking
/// calls. Run on the cooperative threads (one per core), a few slow page loads stalled
/// every route: intake, DocuSign and `/healthz` too.
@Suite struct PageThreadsTests {
    @Test func slowPageLoadsLeaveTheOtherRoutesAnswering() async throws {
        let fixture = try PageFixture()
        defer { fixture.remove() }
        try fixture.addPilot("acme-2026-11")
        let reads = HeldReads()
        defer { reads.release() }
        // More pages than the cooperative pool has threads, and no more than Offload's.
        let pages = min(ProcessInfo.processInfo.activeProcessorCount + 1, Offload.threads)
        let link = PageFixture.link("acme-2026-11")

        try await fixture.app(documents: ObservedReads(Workspace(root: fixture.folder)) { _ in reads.hold() }).test(.live) { client in
            let port = try #require(client.port)
            let loads = Task {
                try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                    for _ in 0..<pages {
                        group.addTask {
                            // A connection each: one connection's requests are served in turn.
                            let own = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(60)))
                            own.connect()
                            defer { Task { try? await own.shutdown() } }
                            return try await own.execute(.init(link.path, method: .get, authority: "localhost")).head.status
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }
            // Fails when they wait for each other's threads (at most one per core reads).
            try await waitUntil("\(pages) page loads reading at once", interval: .milliseconds(20)) { reads.holding == pages }
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            #expect(reads.holding == pages, "/healthz answered while every page load was still reading")
            reads.release()
            let statuses = try await loads.value
            #expect(statuses == Array(repeating: .ok, count: pages))
            #expect(reads.mostHeld == pages)
        }
    }
}

/// Reads that wait until `release()` (or 20 s, so that a test whose requests never got
/// this far still ends), counting how many wait at once.
final class HeldReads: @unchecked Sendable {
    // @unchecked: the counts and the flag are read and written only with `condition` locked.
    private let condition = NSCondition()
    private var held = 0
    private var most = 0
    private var released = false

    var holding: Int { condition.withLock { held } }
    var mostHeld: Int { condition.withLock { most } }

    func release() {
        condition.withLock {
            released = true
            condition.broadcast()
        }
    }

    func hold() {
        condition.withLock {
            held += 1
            most = max(most, held)
            let deadline = Date(timeIntervalSinceNow: 20)
            while !released, condition.wait(until: deadline) {}
            held -= 1
        }
    }
}
