import PilotJSON
import PilotStore
import Testing

@Suite struct OutboxTests {
    @Test(arguments: Backend.all) func pendingMessagesComeInEnqueueOrderUntilSent(backend: Backend) throws {
        try withStore(backend) { store in
            let added = try store.write { try $0.enqueue([sampleMessage("c"), sampleMessage("a"), sampleMessage("b")]) }
            #expect(added == 3)
            try store.write { try $0.enqueue([sampleMessage("d")]) }
            #expect(try store.write { try $0.enqueue([sampleMessage("a")]) } == 0)  // same event id: skipped

            let pending = try store.read { try $0.pendingOutbox(limit: 10) }
            #expect(pending.map(\.eventID) == ["c", "a", "b", "d"])
            #expect(pending.map { $0.seq! } == pending.map { $0.seq! }.sorted())
            #expect(try store.read { try $0.pendingOutbox(limit: 2).map(\.eventID) } == ["c", "a"])

            let sentAt = "2026-11-25T09:01:00Z"
            let marked = try store.write { try $0.markSent(eventIDs: ["a", "d", "missing"], at: sentAt) }
            #expect(marked == 2)
            #expect(try store.write { try $0.markSent(eventIDs: ["a"], at: "2026-11-25T09:02:00Z") } == 0)
            #expect(try store.read { try $0.pendingOutbox(limit: 10).map(\.eventID) } == ["c", "b"])

            #expect(try store.write { try $0.purgeSent(before: "2026-11-25T09:01:30Z") } == 2)
            #expect(try store.read { try $0.pendingOutbox(limit: 10).map(\.eventID) } == ["c", "b"])
        }
    }

    @Test(arguments: Backend.all) func messagesRoundTripExactly(backend: Backend) throws {
        try withStore(backend) { store in
            var binary = sampleMessage("bin", body: [0, 1, 0xFF, 0, 0x80])
            binary.headers = JSONObject([("x-attempts", .int(3)), ("x-ok", true), ("x-reason", "é x")])
            let empty = OutboxMessage(
                eventID: "empty", threadID: nil, exchange: "", routingKey: "k", body: [])
            try store.write { try $0.enqueue([binary, empty]) }
            let pending = try store.read { try $0.pendingOutbox(limit: 10) }
            #expect(pending.count == 2)
            var expected = binary
            expected.seq = pending[0].seq
            #expect(pending[0] == expected)
            #expect(pending[1].body == [] && pending[1].threadID == nil && pending[1].headers.isEmpty)
            #expect(pending[1].exchange == "")
        }
    }
}
