import Foundation
import PilotJSON
import PilotTestKit
#if canImport(Glibc)
import Glibc
#endif

/// A Python peer (SMTP server, webhook receiver) started from `python/` on a free loopback
/// port with a folder of its own; `stop()` ends it and removes the folder.
final class PythonPeer: Sendable {
    let port: Int
    let folder: URL
    let process: ChildProcess
    let logFile: URL

    init(script: String, port: Int = freeLoopbackPort(), arguments: (Int, URL) -> [String]) async throws {
        self.port = port
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("pilot-peer-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        logFile = folder.appendingPathComponent("peer.log")
        let path = packageRoot.appendingPathComponent("Tests/PilotDeliveryTests/python/\(script)").path
        process = try ChildProcess(
            path: try which3(), arguments: [path] + arguments(port, folder),
            environment: ProcessInfo.processInfo.environment, outputPath: logFile.path)
        let deadline = ContinuousClock.now + .seconds(20)
        while !Self.accepts(port) {
            guard process.isRunning, ContinuousClock.now < deadline else {
                let log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
                stop()
                throw PeerError(description: "\(script) never listened on \(port):\n\(log)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    func stop() {
        process.signal(SIGTERM)
        if process.wait(blockingFor: .seconds(5)) == nil {
            process.signal(SIGKILL)
            _ = process.wait(blockingFor: .seconds(10))
        }
        try? FileManager.default.removeItem(at: folder)
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// True when something accepts TCP connections on 127.0.0.1:`port`.
    static func accepts(_ port: Int) -> Bool { acceptsOnLoopback(port) }
}

private func which3() throws -> String {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    guard let found = path.split(separator: ":").map({ "\($0)/python3" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
        throw PeerError(description: "python3 not found on PATH")
    }
    return found
}

/// The webhook receiver's records of one path.
struct ReceivedWebhook {
    var id: String
    var verdict: String
    var contentType: String
    var body: [UInt8]
    var status: Int
    var at: Double

    static func read(_ peer: PythonPeer, path: String) -> [ReceivedWebhook] {
        guard let text = try? String(contentsOf: peer.folder.appendingPathComponent(path + ".log"), encoding: .utf8) else {
            return []
        }
        return text.split(separator: "\n").compactMap { line in
            guard let record = try? JSONValue(parsing: Array(line.utf8)) else { return nil }
            return ReceivedWebhook(
                id: record["id"]?.string ?? "", verdict: record["verdict"]?.string ?? "",
                contentType: record["content_type"]?.string ?? "",
                body: Array(Data(base64Encoded: record["body"]?.string ?? "") ?? Data()),
                status: Int(record["status"]?.integer ?? 0), at: record["at"]?.number ?? 0)
        }
    }
}

/// Polls `condition` until it holds; false when `timeout` passes first.
func eventually(timeout: Duration = .seconds(30), _ condition: () throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        try? await Task.sleep(for: .milliseconds(100))
    }
    return try condition()
}

struct PeerError: Error, CustomStringConvertible {
    var description: String
}
