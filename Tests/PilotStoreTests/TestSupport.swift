import Foundation
import PilotJSON
import PilotStore
import Synchronization

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
