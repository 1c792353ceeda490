import Foundation
import HummingbirdTesting
import PilotObjectStore
import PilotTestKit
import Testing
@testable import PilotWeb

/// The buyer's page and the dashboard reading the documents from a bucket
/// (`PILOT_DOCUMENTS=s3://…`), with none of them in the local folder.
@Suite(.objectStore) struct ObjectStorePageTests {
    @Test func thePagesReadTheSnapshotAndTheDocumentsFromTheBucket() async throws {
        let objects = try await TestObjectStore.shared
        let fixture = try PageFixture()
        defer { fixture.remove() }
        try fixture.addPilot("acme-2026-11")
        // Move the documents the fixture wrote into the bucket, under a prefix of this test's.
        let prefix = "pages-\(UUID().uuidString.prefix(8))"
        let threadFolder = fixture.folder.appendingPathComponent("threads/sales/acme-2026-11")
        let walker = try #require(FileManager.default.enumerator(atPath: threadFolder.path))
        while let relative = walker.nextObject() as? String {
            guard let bytes = FileManager.default.contents(atPath: threadFolder.appendingPathComponent(relative).path) else { continue }
            try objects.client.put("\(prefix)/threads/sales/acme-2026-11/\(relative)", Array(bytes))
        }
        try FileManager.default.removeItem(at: fixture.folder.appendingPathComponent("threads"))
        let documents = try DocumentStoreFactory.make(environment: objects.environment(prefix: prefix), workspace: fixture.folder)

        let link = PageFixture.link("acme-2026-11")
        try await fixture.app(documents: documents).test(.router) { client in
            let page = try await client.execute(uri: link.path, method: .get)
            #expect(page.status == .ok)
            #expect(String(buffer: page.body).contains("Day 5 of 14"), "the day-05 snapshot came from the bucket")
            let document = try await client.execute(
                uri: "/share/acme-2026-11/documents/pilot-agreement-custom.md?\(link.query)", method: .get)
            #expect(document.status == .ok)
            #expect(String(buffer: document.body).contains("# Pilot agreement for Acme Analytics"))
            let file = try await client.execute(
                uri: "/pilots/acme-2026-11/file?path=kickoff-invite.eml", method: .get,
                headers: Fixtures.headers([("Authorization", "Bearer \(Fixtures.token)")]))
            #expect(file.status == .ok)
            #expect(String(buffer: file.body) == "Subject: Kickoff\n")
        }
    }
}
