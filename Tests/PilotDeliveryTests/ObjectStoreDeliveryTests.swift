import Foundation
import PilotJSON
import PilotObjectStore
import PilotTestKit
import Testing

/// A real pilot-worker with its documents in a real SeaweedFS (`PILOT_DOCUMENTS=s3://…`):
/// the agreement and the kickoff invite are put at the contract's keys, the kickoff mail
/// carries the agreement read back from the bucket, and nothing lands in the workspace.
@Suite(.serialized, .live, .objectStore) struct ObjectStoreDeliveryTests {
    struct World {
        let objects: TestObjectStore
        let smtp: PythonPeer
        let vhost: VirtualHost
        let thread: String
        let prefix: String
        let worker: WorkerProcess
        let probe: QueueProbe

        var documentsKey: String { "\(prefix)/threads/sales/\(thread)" }

        /// - Parameter readOnly: give the worker the key that may only read and list.
        static func start(_ name: String, readOnly: Bool = false) async throws -> World {
            let objects = try await TestObjectStore.start()
            let smtp = try await PythonPeer(script: "smtp_server.py") { port, folder in [String(port), folder.path] }
            let vhost = try await TestBroker.shared.makeVirtualHost(name)
            let thread = "\(name)-\(UUID().uuidString.prefix(8).lowercased())"
            let prefix = "tenant-\(UUID().uuidString.prefix(4).lowercased())/docs"
            let documents = readOnly ? try objects.readOnlyEnvironment(prefix: prefix) : objects.environment(prefix: prefix)
            let worker = try WorkerProcess(environment: documents.merging([
                "PILOT_AMQP_URL": vhost.url, "PILOT_WORKSPACE": vhost.workspace.path, "PILOT_DAY_SECONDS": "1",
                "PILOT_SIGNATURE_EXPIRY_DAYS": "60", "PILOT_RETRY_DELAYS": "200ms,1s",
                "PILOT_SMTP_URL": "smtp://127.0.0.1:\(smtp.port)", "PILOT_MAIL_FROM": "pilots@pilot-worker.dev",
            ]) { $1 })
            let world = World(
                objects: objects, smtp: smtp, vhost: vhost, thread: thread, prefix: prefix, worker: worker,
                probe: try QueueProbe(url: vhost.url))
            // Five stages and delivery.
            try await worker.explaining { try await worker.waitForLog("consuming", count: 6) }
            try world.probe.tap("tap.\(name).kickoff", routingKeys: ["pilot.kickoff.scheduled"])
            return world
        }

        /// Ends the world from a `defer`: the object store and the SMTP server at once
        /// (the test process may exit before a task runs), the rest in a task.
        func stop() {
            objects.stop()
            smtp.stop()
            let (worker, vhost) = (worker, vhost)
            Task {
                await worker.terminate()
                await vhost.delete()
            }
        }

        func request() throws {
            try probe.publish(TestEvents.make(type: "pilot.requested", subject: thread, id: "req-\(thread)", data: TestEvents.sampleRequest))
        }

        /// The kickoff mail as the SMTP server received it, once it has.
        func kickoffMail() async throws -> Data {
            var found: Data?
            try await worker.explaining {
                try await waitUntil("the kickoff invite at the SMTP server", timeout: .seconds(90)) {
                    let names = (try? FileManager.default.contentsOfDirectory(atPath: smtp.folder.path)) ?? []
                    found = names.filter { $0.hasSuffix(".eml") }.lazy
                        .compactMap { try? Data(contentsOf: smtp.folder.appendingPathComponent($0)) }
                        .first { String(decoding: $0, as: UTF8.self).contains("Subject: ") && String(decoding: $0, as: UTF8.self).contains("pilot-agreement-custom.md") }
                    return found != nil
                }
            }
            return found!
        }

        /// Files under the workspace other than the worker's database: none may be a document.
        func localDocuments() -> [String] {
            let walker = FileManager.default.enumerator(atPath: vhost.workspace.path)
            var found: [String] = []
            while let path = walker?.nextObject() as? String {
                var isFolder: ObjCBool = false
                _ = FileManager.default.fileExists(atPath: vhost.workspace.appendingPathComponent(path).path, isDirectory: &isFolder)
                if !isFolder.boolValue && !path.hasPrefix(".pilot/") { found.append(path) }
            }
            return found
        }
    }

    @Test func theAgreementAndKickoffLiveInTheBucketAndTheMailAttachesTheAgreementFromIt() async throws {
        let world = try await World.start("s3e2e")
        defer { world.stop() }
        try world.request()
        _ = try await world.probe.take(1, from: "tap.s3e2e.kickoff", timeout: .seconds(60))
        let mail = try await world.kickoffMail()

        let agreement = try #require(try world.objects.object("\(world.documentsKey)/pilot-agreement-custom.md"))
        #expect(String(decoding: agreement, as: UTF8.self).contains("Pilot"))
        let invite = try #require(try world.objects.object("\(world.documentsKey)/kickoff-invite.eml"))
        #expect(Data(invite) == mail, "the mail sent is the object in the bucket, byte for byte")
        // The attachment is the agreement read back from the bucket.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("s3e2e-\(UUID().uuidString).eml")
        try mail.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = packageRoot.appendingPathComponent("Tests/PilotDeliveryTests/python/check_mail.py").path
        let parsed = try JSONValue(parsing: Array(shell(["python3", script, file.path]).utf8))
        let attachment = try #require(parsed["parts"]?.array?.first { $0["filename"] == "pilot-agreement-custom.md" })
        // MIME carries text with CRLF line ends.
        let lineFeeds = agreement.filter { $0 == UInt8(ascii: "\n") }.count
        #expect(attachment["size"]?.integer == Int64(agreement.count + lineFeeds), "\(attachment)")

        let keys = try world.objects.keys(prefix: world.prefix + "/")
        #expect(keys.allSatisfy { $0.hasPrefix(world.documentsKey + "/") }, "\(keys)")
        #expect(keys.contains("\(world.documentsKey)/kickoff-invite.ics"), "\(keys)")
        #expect(world.localDocuments().isEmpty, "nothing written to the local workspace: \(world.localDocuments())")
        #expect(try world.probe.depth("pilot.stage.delivery.dead") == 0)
    }

    @Test func whileTheObjectStoreIsDownEventsWaitAndNothingIsLostOrDeadLettered() async throws {
        let world = try await World.start("s3down")
        defer { world.stop() }
        try await world.objects.stopServer()
        try world.request()
        // The agreement's batch cannot put its document: given back to the queue, with backoff.
        try await world.worker.waitForLog("store failed; batch returned to the queue", count: 2, timeout: .seconds(60))
        try await world.objects.startServer()

        _ = try await world.probe.take(1, from: "tap.s3down.kickoff", timeout: .seconds(90))
        let mail = try await world.kickoffMail()
        let invite = try #require(try world.objects.object("\(world.documentsKey)/kickoff-invite.eml"))
        #expect(Data(invite) == mail)
        #expect(try world.objects.object("\(world.documentsKey)/pilot-agreement-custom.md") != nil)
        for stage in ["agreement", "kickoff", "delivery"] {
            #expect(try world.probe.depth("pilot.stage.\(stage).dead") == 0, "\(stage)")
        }
        #expect(world.localDocuments().isEmpty, "\(world.localDocuments())")
    }

    @Test func aRefusedPutGivesTheBatchBackAndCommitsNothing() async throws {
        let world = try await World.start("s3ro", readOnly: true)
        defer { world.stop() }
        try world.request()
        // The templates are read, the agreement's PUT is refused: nothing of the batch commits.
        try await world.worker.waitForLog("store failed; batch returned to the queue", count: 2, timeout: .seconds(60))
        let key = "\(world.documentsKey)/pilot-agreement-custom.md"
        #expect(world.worker.count("S3 PUT of \(key) failed: HTTP 403 AccessDenied") >= 2, "\(world.worker.log.suffix(1500))")
        #expect(try world.objects.object(key) == nil)
        #expect(try world.probe.takeReady(upTo: 1, from: "tap.s3ro.kickoff").isEmpty)
        #expect(try world.probe.depth("pilot.stage.agreement.dead") == 0)
        let secret = try world.objects.readOnlyEnvironment(prefix: "")["AWS_SECRET_ACCESS_KEY"]!
        #expect(!world.worker.log.contains(secret))
        #expect(world.localDocuments().isEmpty, "\(world.localDocuments())")
    }
}
