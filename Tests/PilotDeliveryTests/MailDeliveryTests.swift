import Foundation
import PilotAMQP
import PilotJSON
import PilotRuntime
import PilotStageAPI
import PilotTestKit
import Testing

/// Mail through a real SMTP server (aiosmtpd) from a real worker on a private broker.
@Suite(.serialized, .live) struct MailDeliveryTests {
    static let thread = "acme-2026-11"

    /// A worker running every stage with mail configured, driven through a pilot's kickoff:
    /// what arrives is the .eml the kickoff stage wrote, byte for byte, and Python's email
    /// package finds the invitation and the agreement in it.
    @Test func kickoffInviteArrivesByteForByte() async throws {
        let server = try await PythonPeer(script: "smtp_server.py") { port, folder in [String(port), folder.path] }
        defer { server.stop() }
        let broker = try await TestBroker.shared
        let vhost = try await broker.makeVirtualHost("mail")
        let worker = try WorkerProcess(environment: [
            "PILOT_AMQP_URL": vhost.url, "PILOT_WORKSPACE": vhost.workspace.path, "PILOT_RETRY_DELAYS": "200ms",
            "PILOT_SMTP_URL": "smtp://127.0.0.1:\(server.port)", "PILOT_MAIL_FROM": "pilots@pilot-worker.dev",
        ])
        defer { Task { await worker.terminate(); await vhost.delete() } }
        try await worker.waitForLog("consuming", count: 6)
        try QueueProbe(url: vhost.url).publish(TestEvents.request(subject: Self.thread))

        let received = server.folder.appendingPathComponent("1.eml")
        #expect(await eventually { FileManager.default.fileExists(atPath: received.path) }, "\(worker.log)")
        let sent = try Data(contentsOf: vhost.workspace.appendingPathComponent("threads/sales/\(Self.thread)/kickoff-invite.eml"))
        let arrived = try Data(contentsOf: received)
        #expect(arrived == sent, "the message must arrive exactly as written")

        let envelope = try JSONValue(parsing: Array(Data(contentsOf: server.folder.appendingPathComponent("1.json"))))
        #expect(envelope["mail_from"]?.string == "pilots@pilot-worker.dev")
        #expect(envelope["rcpt_tos"]?.array?.compactMap(\.string).contains("dana.whitfield@acme-analytics.com") == true)
        #expect(envelope["tls"] == .bool(false))

        let parsed = try JSONValue(parsing: Array(shell(["python3", Self.script("check_mail.py"), received.path]).utf8))
        #expect(parsed["message_id"]?.string?.hasPrefix("<") == true, "a Message-ID: \(parsed)")
        #expect(parsed["defects"]?.array?.isEmpty == true, "\(parsed)")
        let parts = parsed["parts"]?.array ?? []
        #expect(parts.contains { $0["content_type"]?.string == "text/calendar" && $0["method"]?.string == "REQUEST" }, "\(parts)")
        #expect(parts.contains { ($0["filename"]?.string ?? "").contains("agreement") && ($0["size"]?.integer ?? 0) > 100 }, "\(parts)")
        #expect(worker.log.contains("mail sent"))

        // The pipeline's stages went through the store; delivery did not (it is not in
        // the inbox), so no SMTP session ever ran inside the store's write transaction.
        let database = vhost.workspace.appendingPathComponent(".pilot/pilot.db").path
        let types = try shell(["python3", "-c", "import sqlite3, sys; print(','.join(sorted(r[0] for r in sqlite3.connect(sys.argv[1]).execute('select type from inbox'))))", database])
        #expect(types.trimmingCharacters(in: .whitespacesAndNewlines) == "pilot.agreement.generated,pilot.requested", "\(types)")
    }

    /// STARTTLS required and AUTH: the session is encrypted, the password works and never
    /// shows in the log.
    @Test func startTLSAndAuth() async throws {
        let password = "s3cret-\(UUID().uuidString.prefix(6))"
        let (server, tls) = try await authServer(password: password)
        defer { server.stop(); try? FileManager.default.removeItem(at: tls) }
        let (worker, vhost) = try await deliveryWorker(server, extra: [
            "PILOT_SMTP_TLS": "require", "PILOT_SMTP_CA_FILE": tls.appendingPathComponent("cert.pem").path,
            "PILOT_SMTP_USER": "pilot", "PILOT_SMTP_PASSWORD": password,
        ])
        defer { Task { await worker.terminate(); await vhost.delete() } }
        try QueueProbe(url: vhost.url).publish(try writeMail(in: vhost, to: ["dana@acme-analytics.com"], name: "tls.eml"))

        let meta = server.folder.appendingPathComponent("1.json")
        #expect(await eventually { FileManager.default.fileExists(atPath: meta.path) }, "\(worker.log)")
        let envelope = try JSONValue(parsing: Array(Data(contentsOf: meta)))
        #expect(envelope["tls"] == .bool(true))
        #expect(envelope["auth_user"]?.string == "pilot")
        #expect(!worker.log.contains(password))
    }

    /// A login the server refuses (535) is the operator's to fix, not the message's fault:
    /// retried like any failure, and dead-lettered as `handler_failed` once the attempts
    /// are spent, never as `mail_rejected`; the wrong password shows nowhere.
    @Test func aRefusedLoginIsRetriedNotTakenForARejectedMessage() async throws {
        let (server, tls) = try await authServer(password: "the-right-one")
        defer { server.stop(); try? FileManager.default.removeItem(at: tls) }
        let wrong = "wrong-\(UUID().uuidString.prefix(6))"
        let metricsPort = freeLoopbackPort()
        let (worker, vhost) = try await deliveryWorker(server, extra: [
            "PILOT_SMTP_TLS": "require", "PILOT_SMTP_CA_FILE": tls.appendingPathComponent("cert.pem").path,
            "PILOT_SMTP_USER": "pilot", "PILOT_SMTP_PASSWORD": wrong, "PILOT_MAX_ATTEMPTS": "2",
            "PILOT_METRICS_PORT": String(metricsPort), "PILOT_METRICS_HOST": "127.0.0.1",
        ])
        defer { Task { await worker.terminate(); await vhost.delete() } }
        let probe = try QueueProbe(url: vhost.url)
        try probe.publish(try writeMail(in: vhost, to: ["dana@acme-analytics.com"], name: "login.eml"))

        let dead = try await worker.explaining { try await probe.take(1, from: "pilot.stage.delivery.dead") }
        #expect(dead.first?.properties.header(Header.errorReason) == .string("handler_failed"))
        #expect(dead.first?.properties.header(Header.attempts) == .int(2))
        let detail = dead.first?.properties.header(Header.errorDetail)?.stringValue ?? ""
        #expect(detail.contains("535"), "\(detail.debugDescription)")
        #expect(!FileManager.default.fileExists(atPath: server.folder.appendingPathComponent("1.eml").path))
        let samples = try scrape("http://127.0.0.1:\(metricsPort)/metrics")
        #expect(samples["pilot_mail_failures_total{reason=failed}"] == 2, "\(samples)")
        #expect(samples["pilot_mail_failures_total{reason=rejected}"] ?? 0 == 0, "\(samples)")
        #expect(!worker.log.contains(wrong))
    }

    /// One refused recipient does not keep the message from the others; the refusal is logged.
    @Test func aRefusedRecipientDoesNotKeepTheMessageFromTheOthers() async throws {
        let server = try await PythonPeer(script: "smtp_server.py") { port, folder in [String(port), folder.path] }
        defer { server.stop() }
        let (worker, vhost) = try await deliveryWorker(server)
        defer { Task { await worker.terminate(); await vhost.delete() } }
        try QueueProbe(url: vhost.url).publish(
            try writeMail(in: vhost, to: ["dana@acme-analytics.com", "reject.me@acme-analytics.com"], name: "two.eml"))
        let received = server.folder.appendingPathComponent("1.eml")
        #expect(await eventually { FileManager.default.fileExists(atPath: received.path) }, "\(worker.log)")
        let envelope = try JSONValue(parsing: Array(Data(contentsOf: server.folder.appendingPathComponent("1.json"))))
        #expect(envelope["rcpt_tos"] == ["dana@acme-analytics.com"])
        try await worker.waitForLog("refused some recipients")
        #expect(worker.log.contains("mailbox unavailable"))
    }

    /// A 550 is dead-lettered with the server's reply; a 451 is retried and then delivered;
    /// both show on /metrics.
    @Test func rejectionsAreDeadLetteredAndTemporaryFailuresRetried() async throws {
        let server = try await PythonPeer(script: "smtp_server.py") { port, folder in [String(port), folder.path] }
        defer { server.stop() }
        let metricsPort = freeLoopbackPort()
        let (worker, vhost) = try await deliveryWorker(server, extra: [
            "PILOT_METRICS_PORT": String(metricsPort), "PILOT_METRICS_HOST": "127.0.0.1",
        ])
        defer { Task { await worker.terminate(); await vhost.delete() } }
        let probe = try QueueProbe(url: vhost.url)
        try probe.publish(try writeMail(in: vhost, to: ["reject.me@acme-analytics.com"], name: "rejected.eml"))
        try probe.publish(try writeMail(in: vhost, to: ["later@acme-analytics.com"], name: "later.eml"))

        let dead = try await probe.take(1, from: "pilot.stage.delivery.dead")
        #expect(dead.count == 1, "\(worker.log)")
        #expect(dead.first?.properties.header(Header.errorReason) == .string("mail_rejected"))
        let detail = dead.first?.properties.header(Header.errorDetail)?.stringValue ?? ""
        #expect(detail.contains("550 5.1.1") && detail.contains("mailbox unavailable"), "\(detail)")

        let received = server.folder.appendingPathComponent("1.eml")
        #expect(await eventually { FileManager.default.fileExists(atPath: received.path) }, "\(worker.log)")
        let refused = (try? String(contentsOf: server.folder.appendingPathComponent("refused.log"), encoding: .utf8)) ?? ""
        #expect(refused.components(separatedBy: " 451 ").count - 1 == 2, "\(refused)")
        #expect(try String(contentsOf: received, encoding: .utf8).contains("later.eml"))

        var samples: [String: Double] = [:]
        #expect(await eventually {
            samples = (try? scrape("http://127.0.0.1:\(metricsPort)/metrics")) ?? [:]
            return samples["pilot_mail_sent_total{}"] == 1
        }, "\(samples)")
        #expect(samples["pilot_mail_failures_total{reason=rejected}"] == 1)
        #expect(samples["pilot_mail_failures_total{reason=temporary}"] == 2)
        #expect(samples[#"pilot_dead_letters_total{reason=mail_rejected,stage=delivery}"#] == 1)
    }

    // MARK: - helpers

    static func script(_ name: String) -> String {
        packageRoot.appendingPathComponent("Tests/PilotDeliveryTests/python/\(name)").path
    }

    /// An SMTP server that requires STARTTLS and then AUTH as `pilot` with `password`, and
    /// the folder of its certificate (`cert.pem`), for the caller to remove.
    func authServer(password: String) async throws -> (PythonPeer, URL) {
        let tls = FileManager.default.temporaryDirectory.appendingPathComponent("pilot-smtp-tls-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: tls, withIntermediateDirectories: true)
        do {
            try shell(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                       "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                       "-keyout", tls.appendingPathComponent("key.pem").path, "-out", tls.appendingPathComponent("cert.pem").path])
            let server = try await PythonPeer(script: "smtp_server.py") { port, folder in
                [String(port), folder.path, "--tls", tls.appendingPathComponent("cert.pem").path, tls.appendingPathComponent("key.pem").path,
                 "--auth", "pilot", password]
            }
            return (server, tls)
        } catch {
            try? FileManager.default.removeItem(at: tls)
            throw error
        }
    }

    /// A worker consuming only the delivery stage, sending to `server`.
    func deliveryWorker(_ server: PythonPeer, extra: [String: String] = [:]) async throws -> (WorkerProcess, VirtualHost) {
        let vhost = try await TestBroker.shared.makeVirtualHost("mail")
        let worker = try WorkerProcess(environment: [
            "PILOT_AMQP_URL": vhost.url, "PILOT_WORKSPACE": vhost.workspace.path, "PILOT_STAGES": "delivery",
            "PILOT_RETRY_DELAYS": "200ms", "PILOT_SMTP_URL": "smtp://127.0.0.1:\(server.port)",
            "PILOT_MAIL_FROM": "pilots@pilot-worker.dev",
        ].merging(extra) { $1 })
        try await worker.waitForLog("consuming")
        return (worker, vhost)
    }

    /// Writes a small message into the workspace and returns the `email.send` for it.
    func writeMail(in vhost: VirtualHost, to: [String], name: String) throws -> CloudEvent {
        let folder = vhost.workspace.appendingPathComponent("threads/sales/\(Self.thread)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let text = "From: pilots@pilot-worker.dev\r\nTo: \(to.joined(separator: ", "))\r\nSubject: \(name)\r\n"
            + "Message-ID: <\(name)@pilot-worker>\r\n\r\nBody of \(name).\r\n.leading dot stays\r\n"
        try Data(text.utf8).write(to: folder.appendingPathComponent(name))
        return TestEvents.make(type: "email.send", subject: Self.thread, data: [
            "to": .array(to.map { .string($0) }), "subject": .string(name),
            "eml_path": .string("threads/sales/\(Self.thread)/\(name)"), "kind": "kickoff_invite",
        ])
    }
}

/// The samples of a scrape, parsed by the reference Python client.
func scrape(_ url: String) throws -> [String: Double] {
    let script = packageRoot.appendingPathComponent("Tests/PilotTelemetryTests/python/scrape.py").path
    let output = try shell(["python3", script, url])
    guard case .object(let object) = try JSONValue(parsing: Array(output.utf8)) else { return [:] }
    var samples: [String: Double] = [:]
    for (key, value) in object.members {
        if let number = value.number { samples[key] = number }
    }
    return samples
}
