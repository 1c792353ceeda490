import Foundation
import PilotTestKit
import Testing

/// The lifecycle settings as an operator gives them: a value that cannot be used stops
/// the worker at start with the variable's name, before it touches the broker.
@Suite struct WorkerSettingsTests {
    @Test(arguments: [
        ("PILOT_SIGNATURE_REMINDER_DAYS", "three", "PILOT_SIGNATURE_REMINDER_DAYS must be a whole number, got \"three\""),
        ("PILOT_SIGNATURE_REMINDER_DAYS", "0", "PILOT_SIGNATURE_REMINDER_DAYS must be at least 1, got 0"),
        ("PILOT_SIGNATURE_EXPIRY_DAYS", "0", "PILOT_SIGNATURE_EXPIRY_DAYS must be 1 to 60 pilot days, got 0"),
        ("PILOT_SIGNATURE_EXPIRY_DAYS", "61", "PILOT_SIGNATURE_EXPIRY_DAYS must be 1 to 60 pilot days, got 61"),
        ("PILOT_DAY_SECONDS", "1s", "PILOT_DAY_SECONDS must be a number, got \"1s\""),
        ("PILOT_HEARTBEAT", "99999999999", "PILOT_HEARTBEAT] must be 0…65535 seconds (0 turns heartbeats off), got 99999999999"),
        ("PILOT_HEARTBEAT", "-3", "PILOT_HEARTBEAT] must be 0…65535 seconds (0 turns heartbeats off), got -3"),
        ("PILOT_SHUTDOWN_TIMEOUT", "1e300", "PILOT_SHUTDOWN_TIMEOUT] must be 0…3600 seconds, got 1e+300"),
        ("PILOT_SHUTDOWN_TIMEOUT", "-1", "PILOT_SHUTDOWN_TIMEOUT] must be 0…3600 seconds, got -1.0"),
        ("PILOT_MAX_BODY_BYTES", "-1", "PILOT_MAX_BODY_BYTES] must be 1024…536870912, got -1"),
    ])
    func anUnusableValueStopsTheWorkerWithItsName(variable: String, value: String, message: String) async throws {
        // A broker nobody listens on: the worker must not get as far as connecting.
        let worker = try WorkerProcess(environment: [variable: value, "PILOT_AMQP_URL": "amqp://guest:guest@127.0.0.1:1/%2f"])
        defer { Task { await worker.terminate() } }
        #expect(try await worker.waitForExit() == 64)
        #expect(worker.log.contains(message), "\(worker.log)")
    }

    @Test func aDatabaseURLItCannotServeIsRefusedWithoutItsPassword() async throws {
        let worker = try WorkerProcess(environment: [
            "PILOT_DATABASE": "mysql://pilot:s3cret@127.0.0.1:5432/pilots", "PILOT_AMQP_URL": "amqp://guest:guest@127.0.0.1:1/%2f",
        ])
        defer { Task { await worker.terminate() } }
        #expect(try await worker.waitForExit() == 64)
        #expect(worker.log.contains("mysql:// databases are not supported"), "\(worker.log)")
        #expect(!worker.log.contains("s3cret"))
    }

    @Test func anUnreachablePostgresStopsTheWorkerWithoutThePassword() async throws {
        let worker = try WorkerProcess(environment: [
            "PILOT_DATABASE": "postgres://pilot:s3cret@127.0.0.1:1/pilots?connect_timeout=2",
            "PILOT_AMQP_URL": "amqp://guest:guest@127.0.0.1:1/%2f",
        ])
        defer { Task { await worker.terminate() } }
        #expect(try await worker.waitForExit() == 64)
        #expect(worker.log.contains("cannot open the database postgres://pilot:***@127.0.0.1:1/pilots"), "\(worker.log)")
        #expect(!worker.log.contains("s3cret"))
    }

    @Test(arguments: [("PILOT_INBOX_RETENTION", "30d"), ("PILOT_INBOX_RETENTION", "1y"), ("PILOT_OUTBOX_RETENTION", "-1d"), ("PILOT_OUTBOX_RETENTION", "7")])
    func anUnusableRetentionStopsTheWorkerNamingTheVariable(variable: String, value: String) async throws {
        let worker = try WorkerProcess(environment: [variable: value, "PILOT_AMQP_URL": "amqp://guest:guest@127.0.0.1:1/%2f"])
        defer { Task { await worker.terminate() } }
        #expect(try await worker.waitForExit() == 64)
        #expect(worker.log.contains("\(variable)=\(value)") || worker.log.contains("\(variable) must be"), "\(worker.log)")
    }
}
