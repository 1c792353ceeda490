import Foundation
import PilotJSON
import PilotTestKit
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The `pilot-web` executable as an operator runs it: configuration, logs, shutdown.
@Suite(.serialized) struct ProcessTests {
    @Test func refusesToStartWithNeitherTokenNorKey() async throws {
        let web = try WorkerProcess("pilot-web", environment: [
            "PILOT_WEB_PORT": String(freeLoopbackPort()), "PILOT_WEB_TOKEN": "", "PILOT_DOCUSIGN_HMAC_KEY": "",
        ])
        defer { Task { await web.terminate() } }
        let status = try await web.waitForExit(timeout: .seconds(30))
        #expect(status != 0)
        #expect(web.log.contains("set PILOT_WEB_TOKEN, PILOT_DOCUSIGN_HMAC_KEY or both"), "\(web.log)")
    }

    @Test(.live) func servesLogsRequestsWithoutSecretsAndStopsOnSIGTERM() async throws {
        let vhost = try await TestBroker.shared.makeVirtualHost("webproc")
        defer { Task { await vhost.delete() } }
        let probe = try QueueProbe(url: vhost.url)
        try probe.tap("tap.web", routingKeys: ["pilot.signed"])
        let port = freeLoopbackPort()
        let web = try WorkerProcess("pilot-web", environment: [
            "PILOT_WEB_HOST": "127.0.0.1", "PILOT_WEB_PORT": String(port), "PILOT_WEB_TOKEN": Fixtures.token,
            "PILOT_DOCUSIGN_HMAC_KEY": Fixtures.key, "PILOT_AMQP_URL": vhost.url,
            "PILOT_SCHEMAS": packageRoot.appendingPathComponent("schemas").path, "PILOT_LOG_FORMAT": "json",
        ])
        defer { Task { await web.terminate() } }
        try await HTTPProbe.waitFor("http://127.0.0.1:\(port)/readyz", status: 200)

        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/events")!)
        request.httpMethod = "POST"
        request.setValue("Bearer \(Fixtures.token)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(Fixtures.signedEvent(id: "evt-process").serializedBytes())
        let (body, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 202, "\(String(decoding: body, as: UTF8.self))")
        #expect(try await probe.take(1, from: "tap.web").first?.properties.messageID == "evt-process")

        try await waitUntil("the request's log line") {
            web.log.contains(#""path":"\/events""#) || web.log.contains("\"path\":\"/events\"")
        }
        #expect(web.log.contains("\"status\":\"202\"") || web.log.contains("\"status\":202"), "\(web.log)")
        for secret in [Fixtures.token, Fixtures.key, "guest:guest"] {
            #expect(!web.log.contains(secret), "the log shows \(secret)")
        }
        web.signal(SIGTERM)
        #expect(try await web.waitForExit(timeout: .seconds(30)) == 0)
    }

    /// A client that stops sending in the middle of a body, or after its last request, is
    /// disconnected after `PILOT_WEB_IDLE_TIMEOUT` rather than holding its connection for ever.
    @Test(.live) func aStalledConnectionIsClosed() async throws {
        let vhost = try await TestBroker.shared.makeVirtualHost("webidle")
        defer { Task { await vhost.delete() } }
        let port = freeLoopbackPort()
        let web = try WorkerProcess("pilot-web", environment: [
            "PILOT_WEB_HOST": "127.0.0.1", "PILOT_WEB_PORT": String(port), "PILOT_WEB_TOKEN": Fixtures.token,
            "PILOT_AMQP_URL": vhost.url, "PILOT_WEB_IDLE_TIMEOUT": "1",
            "PILOT_SCHEMAS": packageRoot.appendingPathComponent("schemas").path,
        ])
        defer { Task { await web.terminate() } }
        try await HTTPProbe.waitFor("http://127.0.0.1:\(port)/readyz", status: 200)
        // Half a body, then silence; and a whole request, then silence. The client waits up
        // to 20 s for the server to hang up.
        let script = """
            import socket, sys
            def stall(first):
                s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
                s.sendall(first)
                s.settimeout(20)
                try:
                    while s.recv(4096):
                        pass
                    return "closed"
                except ConnectionResetError:
                    return "closed"
                except socket.timeout:
                    return "open"
            print(stall(b"POST /events HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 100\\r\\n\\r\\n{"))
            print(stall(b"GET /healthz HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n"))
            """
        let output = try shell(["python3", "-c", script, String(port)])
        #expect(output.split(separator: "\n") == ["closed", "closed"], "\(output)")
    }
}
