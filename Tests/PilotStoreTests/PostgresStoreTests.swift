import Foundation
import PilotJSON
import PilotStore
import PilotTestKit
import Synchronization
import Testing

/// What only the PostgreSQL store has to prove: its migrations, its connections across a
/// server restart, its relay claims, its errors.
@Suite(.livePostgres) struct PostgresStoreTests {
    @Test func aDatabaseFromANewerBuildIsRefusedWithoutThePassword() throws {
        let server = try TestPostgres.shared
        let url = try server.makeDatabase()
        _ = try PostgresPilotStore(url: url)
        try server.psql("-d", String(url.split(separator: "/").last!.prefix { $0 != "?" }), "-c", "UPDATE pilot_schema SET version = 99")
        let error = #expect(throws: PilotStoreError.self) { try PostgresPilotStore(url: url) }
        guard case .schemaTooNew(let name, 99, PostgresSchema.version) = error else {
            Issue.record("expected schemaTooNew, got \(String(describing: error))")
            return
        }
        #expect(!name.contains(server.password) && name.contains("pilot:***@"), "\(name)")
    }

    /// A database a version-1 build made: migrated to v2 (the risk of a state with
    /// `\u0000`) with its pilots kept and indexed as before.
    @Test func aVersion1DatabaseIsMigratedWithItsPilots() throws {
        let server = try TestPostgres.shared
        let url = try server.makeDatabase()
        let database = String(url.split(separator: "/").last!.prefix { $0 != "?" })
        try server.psql("-d", database, "-c", "SET ROLE pilot;\n" + PostgresSchema.migrations[0] + """
            ;
            CREATE TABLE pilot_schema (version INTEGER NOT NULL);
            INSERT INTO pilot_schema VALUES (1);
            INSERT INTO pilots VALUES ('old', 'results', 'declined', '{"health":{"score":5},"declined_reason":"late"}', 3, 'x', 'x');
            """)
        let store = try PostgresPilotStore(url: url)
        #expect(try store.read { try $0.pilot("old")?.version } == 3)
        var pilot = samplePilot("nul")
        pilot.state = ["name": .string("a\u{0}b")]
        try store.write { try $0.savePilot(pilot) }
        #expect(try store.read { try $0.pilotsAtRiskFirst(offset: 0, limit: 10).map(\.threadID) } == ["old", "nul"])
        #expect(try store.read { try $0.outcomeCounts() } == [OutcomeCount(status: "declined", reason: "late", count: 1)])
        #expect(try server.psql("-d", database, "-c", "SELECT version FROM pilot_schema").trimmingCharacters(in: .whitespacesAndNewlines)
            == String(PostgresSchema.version))
    }

    @Test func workersStartingTogetherMigrateOnce() throws {
        let url = try TestPostgres.shared.makeDatabase()
        let errors = concurrently(6) { _ in _ = try PostgresPilotStore(url: url) }
        #expect(errors.isEmpty, "\(errors)")
        let store = try PostgresPilotStore(url: url)
        try store.write { try $0.savePilot(samplePilot("acme")) }
        #expect(try store.read { try $0.pilot("acme")?.version } == 1)
    }

    @Test func aWrongPasswordFailsWithoutShowingIt() throws {
        let server = try TestPostgres.shared
        let wrong = server.url().replacingOccurrences(of: server.password, with: "n0t-the-s3cret")
        let error = #expect(throws: PostgresError.self) { try PostgresPilotStore(url: wrong) }
        #expect(error?.operation == "connect")
        #expect(error?.description.contains("n0t-the-s3cret") == false, "\(String(describing: error))")
        #expect(error?.description.contains("password authentication failed") == true, "\(String(describing: error))")
    }

    @Test func aMissingPilotFailsTheCommitWithItsSQLState() throws {
        let store = try PostgresPilotStore(url: TestPostgres.shared.makeDatabase())
        let error = #expect(throws: PostgresError.self) {
            try store.write { try $0.upsertMetrics(MetricsEntry(threadID: "ghost", day: 1, data: [:])) }
        }
        #expect(error?.sqlState == "23503" && error?.operation == "COMMIT", "\(String(describing: error))")
        #expect(try store.read { try $0.metrics(threadID: "ghost") }.isEmpty)
    }

    @Test func theStoreSurvivesAServerRestart() throws {
        let server = try TestPostgres.start()
        defer { server.stop() }
        let store = try PostgresPilotStore(url: server.url())
        try store.write { try $0.savePilot(samplePilot("acme")) }
        try server.stopServer()
        // While the server is down, calls fail with a typed error…
        let error = #expect(throws: PostgresError.self) { try store.read { try $0.pilot("acme") } }
        #expect(error?.connectionLost == true, "\(String(describing: error))")
        try server.startServer()
        // …and once it is back, the next calls work on fresh connections.
        var pilot = try #require(try store.read { try $0.pilot("acme") })
        pilot.state = ["n": 2]
        try store.write { try $0.savePilot(pilot) }
        #expect(try store.read { try $0.pilot("acme")?.version } == 2)
        // A restart between two calls costs nothing: the idle connection it broke is
        // found broken at BEGIN and replaced before anything ran.
        try server.stopServer()
        try server.startServer()
        #expect(try store.read { try $0.pilot("acme")?.version } == 2)
    }

    @Test func relaysOnTwoHostsNeverClaimTheSameRow() throws {
        let url = try TestPostgres.shared.makeDatabase()
        // A relay that waited for the other's rows instead of skipping them fails in 5 s, not never.
        let (first, second) = (try PostgresPilotStore(url: url), try PostgresPilotStore(url: url + "&options=-c%20lock_timeout%3D5000"))
        try first.write { try $0.enqueue((0..<10).map { sampleMessage("m\($0)") }) }
        var claimedByFirst: [String] = [], claimedBySecond: [String] = []
        let cutoff = "9999-12-31T00:00:00Z"
        let marked = try first.relayOutbox(limit: 5, createdAtOrBefore: cutoff, sentAt: { "2026-11-25T09:01:00Z" }) { rows in
            claimedByFirst = rows.map(\.eventID)
            // The second relay runs while the first still holds its rows.
            _ = try second.relayOutbox(limit: 10, createdAtOrBefore: cutoff, sentAt: { "2026-11-25T09:01:00Z" }) { rows in
                claimedBySecond = rows.map(\.eventID)
                return []
            }
            return []
        }
        #expect(marked == 5)
        #expect(claimedByFirst == (0..<5).map { "m\($0)" })
        #expect(claimedBySecond == (5..<10).map { "m\($0)" })
        #expect(try first.read { try $0.pendingOutboxCount() } == 0)
    }

    /// A consumer's commit marks the rows it published itself; one a relay is publishing
    /// at that moment is the relay's to mark, and waiting for it would hold the consumer's
    /// pilots for as long as the broker takes to confirm.
    @Test func markingSentSkipsTheRowsARelayHolds() throws {
        let url = try TestPostgres.shared.makeDatabase()
        // A commit that waited for the relay's row fails in 5 s, not never.
        let (relay, consumer) = (try PostgresPilotStore(url: url), try PostgresPilotStore(url: url + "&options=-c%20lock_timeout%3D5000"))
        try relay.write { try $0.enqueue(["m0", "m1"].map { sampleMessage($0) }) }
        var markedByConsumer = 0
        let marked = try relay.relayOutbox(limit: 1, createdAtOrBefore: "9999-12-31T00:00:00Z", sentAt: { "2026-11-25T09:01:00Z" }) { rows in
            #expect(rows.map(\.eventID) == ["m0"])
            markedByConsumer = try consumer.write { try $0.markSent(eventIDs: ["m0", "m1"], at: "2026-11-25T09:00:30Z") }
            return []
        }
        #expect(markedByConsumer == 1)
        #expect(marked == 1)
        #expect(try relay.read { try $0.pendingOutboxCount() } == 0)
    }
}

/// The same rules on both backends for what the relay and the purge rely on.
@Suite struct RelayAndPurgeTests {
    @Test(arguments: Backend.all) func aRelayMarksWhatItPublishedAndSkipsYoungRows(backend: Backend) throws {
        try withStore(backend) { store in
            var young = sampleMessage("young")
            young.createdAt = "2026-11-25T10:00:00Z"
            try store.write { try $0.enqueue([sampleMessage("old"), young]) }
            var published: [String] = []
            let marked = try store.relayOutbox(limit: 10, createdAtOrBefore: "2026-11-25T09:30:00Z", sentAt: { "2026-11-25T09:31:00Z" }) {
                published += $0.map(\.eventID)
                return []
            }
            #expect(marked == 1 && published == ["old"])
            #expect(try store.read { try $0.pendingOutbox(limit: 10).map(\.eventID) } == ["young"])
            // A failed publish marks nothing.
            struct BrokerDown: Error {}
            #expect(throws: BrokerDown.self) {
                try store.relayOutbox(limit: 10, createdAtOrBefore: "2026-11-25T11:00:00Z", sentAt: { "x" }) { _ in throw BrokerDown() }
            }
            #expect(try store.read { try $0.pendingOutboxCount() } == 1)
        }
    }

    /// A row the broker returned (no queue took it) stays for the next pass; the rows
    /// published with it are marked, so they are not sent again with it.
    @Test(arguments: Backend.all) func aRowThatReachedNoQueueStaysUnsentAndTheOthersAreMarked(backend: Backend) throws {
        try withStore(backend) { store in
            try store.write { try $0.enqueue(["a", "b", "c"].map { sampleMessage($0) }) }
            let marked = try store.relayOutbox(limit: 10, createdAtOrBefore: "9999-12-31T00:00:00Z", sentAt: { "2026-11-25T09:31:00Z" }) { _ in
                ["b"]
            }
            #expect(marked == 2)
            #expect(try store.read { try $0.pendingOutbox(limit: 10).map(\.eventID) } == ["b"])
            let none = try store.relayOutbox(limit: 10, createdAtOrBefore: "9999-12-31T00:00:00Z", sentAt: { "x" }) { Set($0.map(\.eventID)) }
            #expect(none == 0)
            #expect(try store.read { try $0.pendingOutboxCount() } == 1)
        }
    }

    @Test(arguments: Backend.all) func thePurgeDeletesOnlyOldInboxAndSentOutboxRowsInBatches(backend: Backend) throws {
        try withStore(backend) { store in
            try store.write { tx in
                for day in 1...5 {
                    try tx.recordHandled(InboxEntry(eventID: "e\(day)", threadID: "acme", handledAt: "2026-11-0\(day)T09:00:00Z"))
                }
                try tx.enqueue([sampleMessage("sent-old"), sampleMessage("sent-new"), sampleMessage("unsent")])
                try tx.markSent(eventIDs: ["sent-old"], at: "2026-11-01T09:00:00Z")
                try tx.markSent(eventIDs: ["sent-new"], at: "2026-11-05T09:00:00Z")
            }
            #expect(try store.write { try $0.purgeInbox(before: "2026-11-04T00:00:00Z", limit: 2) } == 2)
            #expect(try store.write { try $0.purgeInbox(before: "2026-11-04T00:00:00Z", limit: 2) } == 1)
            #expect(try store.write { try $0.purgeInbox(before: "2026-11-04T00:00:00Z", limit: 2) } == 0)
            #expect(try store.read { try $0.handledEvents(threadID: "acme").map(\.eventID) } == ["e4", "e5"])
            #expect(try store.write { try $0.purgeSent(before: "2026-11-04T00:00:00Z", limit: 10) } == 1)
            #expect(try store.read { try $0.pendingOutbox(limit: 10).map(\.eventID) } == ["unsent"])
            #expect(try store.write { try $0.purgeSent(before: "2026-12-01T00:00:00Z", limit: 10) } == 1)
            #expect(try store.read { try $0.pendingOutboxCount() } == 1)
        }
    }

    /// A NUL inside a string of the state is valid JSON, and the schemas let a name hold
    /// one; PostgreSQL's `jsonb` refuses `\u0000`, and the risk index (v1) cast every saved
    /// state to it, so such a pilot could never be saved there and its batch came back forever.
    @Test(arguments: Backend.all) func aStateWithANULInAStringIsSavedIndexedAndCounted(backend: Backend) throws {
        try withStore(backend) { store in
            var pilot = samplePilot("acme")
            pilot.status = "declined"
            pilot.state = ["lead": ["name": .string("Ac\u{0}me")], "health": ["score": 40], "declined_reason": .string("no\u{0}pe")]
            try store.write { try $0.savePilot(pilot) }
            try store.write { try $0.savePilot(samplePilot("calm")) }
            #expect(try store.read { try $0.pilot("acme") }?.state == pilot.state)
            #expect(try store.read { try $0.pilotsAtRiskFirst(offset: 0, limit: 10).map(\.threadID) } == ["acme", "calm"])
            // A NUL reads as a space in a reason (it would cut the text short as a C string).
            #expect(try store.read { try $0.outcomeCounts() } == [OutcomeCount(status: "declined", reason: "no pe", count: 1)])
            // A backslash followed by the text "u0000" is not an escape, and stays as it is.
            var text = samplePilot("text")
            text.state = ["note": .string("\\u0000"), "health": ["score": 10]]
            try store.write { try $0.savePilot(text) }
            #expect(try store.read { try $0.pilot("text") }?.state == text.state)
            #expect(try store.read { try $0.pilotsAtRiskFirst(offset: 0, limit: 10).map(\.threadID) } == ["text", "acme", "calm"])
        }
    }

    @Test(arguments: Backend.all) func aCaughtDuplicateLeavesTheTransactionUsable(backend: Backend) throws {
        try withStore(backend) { store in
            try store.write { try $0.recordHandled(InboxEntry(eventID: "e1", threadID: "acme")) }
            try store.write { tx in
                #expect(throws: PilotStoreError.duplicateEvent(eventID: "e1")) {
                    try tx.recordHandled(InboxEntry(eventID: "e1", threadID: "acme"))
                }
                try tx.savePilot(samplePilot("acme"))
            }
            #expect(try store.read { try $0.pilot("acme")?.version } == 1)
        }
    }
}
