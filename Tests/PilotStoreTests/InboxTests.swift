import PilotStore
import Testing

@Suite struct InboxTests {
    @Test(arguments: Backend.all) func aDuplicateEventThrowsAndRollsBackItsEffects(backend: Backend) throws {
        try withStore(backend) { store in
            let entry = InboxEntry(
                eventID: "e1", threadID: "acme", type: "pilot.requested", stage: "agreement",
                handledAt: "2026-11-25T09:00:00Z", durationMilliseconds: 1.5, outcome: "ok")
            try store.write { tx in
                try tx.recordHandled(entry)
                try tx.savePilot(samplePilot("acme"))
            }
            #expect(try store.read { try $0.isHandled(eventID: "e1") })
            #expect(try !store.read { try $0.isHandled(eventID: "e2") })

            // The redelivery: its other writes must not survive.
            #expect(throws: PilotStoreError.duplicateEvent(eventID: "e1")) {
                try store.write { tx in
                    try tx.enqueue([sampleMessage("derived-1")])
                    try tx.recordHandled(entry)
                }
            }
            #expect(try store.read { try $0.pendingOutbox(limit: 10) }.isEmpty)
            #expect(try store.read { try $0.handledEvents(threadID: "acme") } == [entry])
        }
    }

    @Test(arguments: Backend.all) func handledEventsAreTheTraceInOrder(backend: Backend) throws {
        try withStore(backend) { store in
            try store.write { tx in
                try tx.recordHandled(InboxEntry(eventID: "b", threadID: "acme", handledAt: "2026-11-25T09:00:02Z"))
                try tx.recordHandled(InboxEntry(eventID: "a", threadID: "acme", handledAt: "2026-11-25T09:00:01Z"))
                try tx.recordHandled(InboxEntry(eventID: "c", threadID: "other", handledAt: "2026-11-25T09:00:00Z"))
            }
            #expect(try store.read { try $0.handledEvents(threadID: "acme").map(\.eventID) } == ["a", "b"])
        }
    }
}
