import PilotJSON
import PilotStore
import Testing

@Suite struct PilotRecordTests {
    @Test(arguments: Backend.all) func savesLoadsAndBumpsTheVersion(backend: Backend) throws {
        try withStore(backend) { store in
            let inserted = try store.write { try $0.savePilot(samplePilot("acme")) }
            #expect(inserted.version == 1)

            var loaded = try #require(try store.read { try $0.pilot("acme") })
            #expect(loaded == inserted)
            #expect(loaded.state["company"] == "Acme")

            loaded.state = ["company": "Acme", "n": 1, "nested": ["a": [1, 2.5, nil, "é"]]]
            loaded.status = "kickoff_scheduled"
            loaded.updatedAt = "2026-11-26T09:00:00Z"
            let updated = try store.write { try $0.savePilot(loaded) }
            #expect(updated.version == 2)
            #expect(updated.createdAt == "2026-11-25T09:00:00Z")

            let reloaded = try #require(try store.read { try $0.pilot("acme") })
            #expect(reloaded == updated)
            #expect(try store.read { try $0.pilot("nobody") } == nil)
        }
    }

    @Test(arguments: Backend.all) func aStaleVersionIsAConflict(backend: Backend) throws {
        try withStore(backend) { store in
            let first = try store.write { try $0.savePilot(samplePilot("acme")) }
            try store.write { try $0.savePilot(first) }  // now version 2

            #expect(throws: PilotStoreError.versionConflict(threadID: "acme", expected: 1, actual: 2)) {
                try store.write { try $0.savePilot(first) }
            }
            #expect(throws: PilotStoreError.versionConflict(threadID: "acme", expected: 0, actual: 2)) {
                try store.write { try $0.savePilot(samplePilot("acme")) }
            }
            var ghost = samplePilot("ghost")
            ghost.version = 3
            #expect(throws: PilotStoreError.versionConflict(threadID: "ghost", expected: 3, actual: nil)) {
                try store.write { try $0.savePilot(ghost) }
            }
            #expect(try store.read { try $0.pilot("acme")?.version } == 2)
        }
    }

    @Test(arguments: Backend.all) func touchingMovesOnlyTheVersion(backend: Backend) throws {
        try withStore(backend) { store in
            var scored = samplePilot("acme")
            scored.state = ["company": "Acme", "health": ["score": 40]]
            let first = try store.write { tx in
                var calm = samplePilot("calm", at: "2026-11-25T10:00:00Z")
                calm.state = ["health": ["score": 40]]
                try tx.savePilot(calm)
                return try tx.savePilot(scored)
            }
            #expect(try store.read { try $0.pilotsAtRiskFirst(offset: 0, limit: 10).map(\.threadID) } == ["calm", "acme"])

            let version = try store.write { try $0.touchPilot(threadID: "acme", version: 1) }
            #expect(version == 2)
            var expected = first
            expected.version = 2
            #expect(try store.read { try $0.pilot("acme") } == expected)
            #expect(try store.read { try $0.pilotsAtRiskFirst(offset: 0, limit: 10).map(\.threadID) } == ["calm", "acme"])
            #expect(try store.write { try $0.touchPilot(threadID: "acme", version: 2) } == 3)
            expected.version = 3

            #expect(throws: PilotStoreError.versionConflict(threadID: "acme", expected: 2, actual: 3)) {
                try store.write { try $0.touchPilot(threadID: "acme", version: 2) }
            }
            #expect(throws: PilotStoreError.versionConflict(threadID: "ghost", expected: 1, actual: nil)) {
                try store.write { try $0.touchPilot(threadID: "ghost", version: 1) }
            }
            #expect(try store.read { try $0.pilot("acme") } == expected)
        }
    }

    @Test(arguments: Backend.all) func listsPilotsByUpdateAndStatus(backend: Backend) throws {
        try withStore(backend) { store in
            try store.write { tx in
                try tx.savePilot(samplePilot("a", at: "2026-11-01T00:00:00Z"))
                var b = samplePilot("b", at: "2026-11-03T00:00:00Z")
                b.status = "pilot_active"
                try tx.savePilot(b)
                try tx.savePilot(samplePilot("c", at: "2026-11-02T00:00:00Z"))
            }
            #expect(try store.read { try $0.pilots(limit: 10).map(\.threadID) } == ["b", "c", "a"])
            #expect(try store.read { try $0.pilots(limit: 2).map(\.threadID) } == ["b", "c"])
            #expect(try store.read { try $0.pilots(status: "pilot_active", limit: 10).map(\.threadID) } == ["b"])
        }
    }
}
