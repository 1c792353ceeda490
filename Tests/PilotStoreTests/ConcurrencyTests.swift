import Foundation
import PilotJSON
import PilotStore
import Testing

@Suite struct ConcurrencyTests {
    /// One read-modify-write of the shared pilot's counter, with an inbox row and an
    /// outbox message, as a stage handler would do it.
    static func increment(_ store: any PilotStore, eventID: String) throws {
        try store.write { tx in
            try tx.recordHandled(InboxEntry(eventID: eventID, threadID: "shared"))
            var pilot = try tx.pilot("shared")!
            pilot.state = ["n": .int(pilot.state["n"]!.integer! + 1)]
            try tx.savePilot(pilot)
            try tx.enqueue([sampleMessage("out-" + eventID, thread: "shared")])
        }
    }

    @Test(arguments: Backend.all) func twoStoresOnOneDatabaseLoseNoUpdate(backend: Backend) throws {
        try withStores(backend, count: 2) { stores in
            try stores[0].write { try $0.savePilot(samplePilot("shared")) }
            let threads = 8, perThread = 100
            let errors = concurrently(threads) { index in
                let store = stores[index % 2]
                for step in 0..<perThread {
                    try Self.increment(store, eventID: "t\(index)-\(step)")
                    // Readers run alongside the writers and never wait for them.
                    _ = try store.read { try $0.pilot("shared") }
                }
            }
            #expect(errors.isEmpty, "\(errors.prefix(3))")
            let total = Int64(threads * perThread)
            try stores[1].read { reader throws in
                let pilot = try #require(try reader.pilot("shared"))
                #expect(pilot.state["n"]?.integer == total)
                #expect(pilot.version == total + 1)
                #expect(try reader.pendingOutbox(limit: 10_000).count == Int(total))
            }
        }
    }

    @Test func aLockHeldTooLongFailsWithAClearBusyError() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/pilot.db"
            let store = try SQLitePilotStore(
                path: path, options: .init(busyTimeout: .milliseconds(50), writeLockAttempts: 2))
            let other = try SQLiteDatabase(path: path)
            try other.execute("BEGIN IMMEDIATE")
            let error = #expect(throws: SQLiteError.self) {
                try store.write { try $0.savePilot(samplePilot("acme")) }
            }
            #expect(error?.isBusy == true)
            #expect(error?.operation == "sqlite3_exec" && error?.sql == "BEGIN IMMEDIATE")
            #expect(error?.note?.contains("gave up after 2 attempt(s)") == true)
            #expect(error?.description.contains(path) == true)
            // Reads do not need the write lock.
            #expect(try store.read { try $0.pilot("acme") } == nil)
            try other.execute("ROLLBACK")
            try store.write { try $0.savePilot(samplePilot("acme")) }
        }
    }

    @Test func waitingForTheWriteLockIsRetriedBeyondTheBusyTimeout() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/pilot.db"
            let store = try SQLitePilotStore(
                path: path, options: .init(busyTimeout: .milliseconds(100), writeLockAttempts: 20))
            let locked = DispatchSemaphore(value: 0)
            let holder = Thread {
                let other = try! SQLiteDatabase(path: path)
                try! other.execute("BEGIN IMMEDIATE")
                locked.signal()
                Thread.sleep(forTimeInterval: 0.4)  // longer than one busy timeout
                try! other.execute("COMMIT")
            }
            holder.start()
            locked.wait()
            try store.write { try $0.savePilot(samplePilot("acme")) }
            #expect(try store.read { try $0.pilot("acme")?.version } == 1)
        }
    }
}
