import Foundation
import PilotJSON
import PilotStore
import PilotTestKit
import Synchronization
import Testing

/// Runs `body` with a fresh folder under the temporary directory, removed afterwards.
func withTemporaryFolder<T>(_ body: (String) throws -> T) throws -> T {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("pilot-store-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    return try body(folder)
}

/// Runs `body(0..<count)` on `count` threads at once and returns the errors they threw.
func concurrently(_ count: Int, _ body: @escaping @Sendable (Int) throws -> Void) -> [String] {
    let errors = Mutex<[String]>([])
    let done = DispatchGroup()
    for index in 0..<count {
        done.enter()
        let thread = Thread {
            defer { done.leave() }
            do {
                try body(index)
            } catch {
                errors.withLock { $0.append("thread \(index): \(error)") }
            }
        }
        thread.start()
    }
    done.wait()
    return errors.withLock { $0 }
}

/// A pilot with a counter in its state.
func samplePilot(_ threadID: String, count: Int64 = 0, at time: String = "2026-11-25T09:00:00Z") -> PilotRecord {
    PilotRecord(
        threadID: threadID, stage: "agreement", status: "agreement_sent",
        state: ["company": "Acme", "n": .int(count)], createdAt: time, updatedAt: time)
}

func sampleMessage(_ eventID: String, thread: String = "acme", body: [UInt8]? = nil) -> OutboxMessage {
    OutboxMessage(
        eventID: eventID, threadID: thread, exchange: "pilot.events", routingKey: "crm.update",
        headers: JSONObject([("x-stage", "agreement")]), body: body ?? Array("{\"id\":\"\(eventID)\"}".utf8),
        createdAt: "2026-11-25T09:00:00Z")
}

/// The store implementations the shared tests run against. PostgreSQL joins when the
/// machine has it (`LivePostgres`), or always under `PILOT_REQUIRE_LIVE_TESTS=1`.
enum Backend: String, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    static var all: [Backend] { LivePostgres.skipReason == nil ? [.sqlite, .postgres] : [.sqlite] }

    var testDescription: String { rawValue }
}

/// Runs `body` with a fresh, empty store: a SQLite file in a temporary folder, or a new
/// database on the test process's PostgreSQL.
func withStore<T>(_ backend: Backend, _ body: (any PilotStore) throws -> T) throws -> T {
    try withStores(backend, count: 1) { try body($0[0]) }
}

/// Runs `body` with `count` stores (each with its own connections) on one fresh database.
func withStores<T>(_ backend: Backend, count: Int, _ body: ([any PilotStore]) throws -> T) throws -> T {
    switch backend {
    case .sqlite:
        return try withTemporaryFolder { folder in
            try body((0..<count).map { _ in try SQLitePilotStore(path: folder + "/pilot.db") })
        }
    case .postgres:
        let url = try TestPostgres.shared.makeDatabase()
        return try body((0..<count).map { _ in try PostgresPilotStore(url: url) })
    }
}
