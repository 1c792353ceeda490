import Foundation
import Logging
import PilotJSON
import PilotRuntime
import PilotStageAPI
import PilotTestKit
import Synchronization
import Testing

@testable import PilotDelivery

/// The read of a mail's message and its SMTP transaction share one bound: the consumer
/// services no heartbeat during either, and a session the broker closes meanwhile has the
/// mail sent again by whoever takes the redelivery.
@Suite struct MailTimeBudgetTests {
    @Test func theTransactionGetsWhatTheReadLeft() {
        #expect(MailHandler.sendingTime(budget: .seconds(30), spent: .seconds(12)) == .seconds(18))
        #expect(MailHandler.sendingTime(budget: .seconds(30), spent: .zero) == .seconds(30))
        #expect(MailHandler.sendingTime(budget: .seconds(30), spent: .milliseconds(29_001)) == nil)
        #expect(MailHandler.sendingTime(budget: .seconds(30), spent: .seconds(45)) == nil)
    }

    /// A read that took the whole bound: no connection to the server, an error that is
    /// retried (not a dead letter), and it says why.
    @Test func aReadThatTookTheTimeSendsNothing() throws {
        let world = try World(readTakes: .milliseconds(29_500))
        let error = try #require(throws: MailHandler.OutOfTime.self) { try world.send() }
        #expect(error.description.contains("took 29.5 seconds of the 30.0 seconds"))
        #expect(!world.server.hasConnectionWaiting, "the SMTP server was contacted after the read had taken the time")
    }

    /// A slow read leaves the transaction the rest: a server that never greets is given
    /// up on after the 2 s left, not after the whole 30.
    @Test func aSlowReadShortensTheTransaction() throws {
        let world = try World(readTakes: .seconds(28))
        let error = try #require(throws: SMTPMailer.Failure.self) { try world.send() }
        #expect(error.kind == .connection)
        #expect(world.server.hasConnectionWaiting)
        let waited = error.detail.firstMatch(of: /timed out after (\d+) milliseconds/).flatMap { Int($0.1) }
        #expect(waited.map { $0 < 5_000 } == true, "\(error)")
    }

    /// A thread's message, a server that takes connections and never answers, and a mail
    /// handler whose reads take `readTakes` on its clock.
    struct World {
        let workspace: URL
        let server: LoopbackListener
        let handler: MailHandler

        init(readTakes: Duration) throws {
            workspace = FileManager.default.temporaryDirectory.appendingPathComponent("pilot-budget-\(UUID().uuidString.prefix(8))")
            let thread = workspace.appendingPathComponent("threads/sales/acme-2026-11")
            try FileManager.default.createDirectory(at: thread, withIntermediateDirectories: true)
            try Data("Message-ID: <x@pilot-worker>\r\n\r\nhello\r\n".utf8).write(to: thread.appendingPathComponent("kickoff-invite.eml"))
            server = try #require(LoopbackListener(port: freeLoopbackPort()))
            let smtp = try SMTPConfiguration(
                url: "smtp://127.0.0.1:\(server.port)", tls: "off", user: nil, password: nil, from: "pilot@example.com")
            #expect(smtp.timeout == .seconds(30))
            let clock = SteppedClock()
            var handler = MailHandler(
                mailer: SMTPMailer(configuration: smtp), documents: ObservedReads(Workspace(root: workspace)) { _ in clock.advance(readTakes) },
                metrics: DeliveryMetrics())
            handler.now = { clock.now }
            self.handler = handler
        }

        func send() throws {
            defer { try? FileManager.default.removeItem(at: workspace) }
            let event = CloudEvent(
                id: "e1", source: "/tests", type: "email.send", subject: "acme-2026-11", time: "2026-11-25T09:00:00Z", causationID: nil,
                data: ["to": ["dana@acme.example"], "subject": "Kickoff", "eml_path": "threads/sales/acme-2026-11/kickoff-invite.eml"])
            try handler.send(event, context: StageContext(stage: "delivery", log: EventLog(logger: Logger(label: "test")), now: Date()))
        }
    }
}

/// The monotonic clock, moved on by hand.
final class SteppedClock: Sendable {
    private let start = ContinuousClock.now
    private let offset = Mutex<Duration>(.zero)
    var now: ContinuousClock.Instant { start + offset.withLock { $0 } }
    func advance(_ step: Duration) { offset.withLock { $0 += step } }
}
