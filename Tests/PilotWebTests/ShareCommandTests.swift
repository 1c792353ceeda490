import Foundation
import PilotDomain
import PilotTestKit
import Testing

/// `pilotctl pilot share`, the way an operator runs it: the link it prints is one
/// pilot-web accepts, signed with the same secret.
@Suite struct ShareCommandTests {
    static let secret = "share-secret-0123456789abcdef"

    func run(_ arguments: [String], environment: [String: String]) async throws -> (status: Int32, output: String) {
        let tool = try WorkerProcess("pilotctl", arguments: ["pilot", "share"] + arguments, environment: environment)
        defer { Task { await tool.terminate() } }
        let status = try await tool.waitForExit()
        return (status, tool.log)
    }

    @Test func printsALinkPilotWebAccepts() async throws {
        let before = Date()
        let (status, output) = try await run(["acme-2026-11", "--days", "7"], environment: [
            "PILOT_WEB_SECRET": Self.secret, "PILOT_WEB_PUBLIC_URL": "https://pilots.example.com/",
        ])
        #expect(status == 0, "\(output)")
        let line = output.trimmingCharacters(in: .whitespacesAndNewlines)
        let url = try #require(URLComponents(string: line))
        #expect(url.scheme == "https" && url.host == "pilots.example.com" && url.path == "/share/acme-2026-11")
        let exp = url.queryItems?.first { $0.name == "exp" }?.value
        let sig = url.queryItems?.first { $0.name == "sig" }?.value
        let link = try ShareLink.verify(threadID: "acme-2026-11", exp: exp, sig: sig, secret: Self.secret, now: Date()).get()
        let days = (Double(link.expires) - before.timeIntervalSince1970) / 86_400
        #expect(days > 6.99 && days < 7.01, "\(days)")
        #expect(ShareLink.verify(threadID: "other", exp: exp, sig: sig, secret: Self.secret, now: Date()) == .failure(.badSignature))
    }

    @Test func refusesWithoutASecretOrWithABadThread() async throws {
        let noSecret = try await run(["acme-2026-11"], environment: ["PILOT_WEB_SECRET": ""])
        #expect(noSecret.status != 0)
        #expect(noSecret.output.contains("PILOT_WEB_SECRET"), "\(noSecret.output)")
        let badThread = try await run(["../etc"], environment: ["PILOT_WEB_SECRET": Self.secret])
        #expect(badThread.status != 0)
        #expect(badThread.output.contains("is not a thread id"), "\(badThread.output)")
    }
}
