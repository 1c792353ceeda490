import Foundation
import PilotTestKit
import Testing

/// pilot-worker, pilot-web and pilotctl refuse a document setting they cannot use before
/// doing anything, with a sentence naming the variable and never the secret.
@Suite(.live) struct StartupRefusalTests {
    static let cases: [([String: String], String)] = [
        (["PILOT_DOCUMENTS": "ftp://bucket/prefix"], "PILOT_DOCUMENTS: ftp:// is not supported"),
        (["PILOT_DOCUMENTS": "s3:///prefix"], "PILOT_DOCUMENTS names no bucket"),
        (["PILOT_DOCUMENTS": "s3://bucket/prefix", "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "secret-never-shown"],
            "AWS_ACCESS_KEY_ID is not set"),
        (["PILOT_DOCUMENTS": "s3://bucket/prefix", "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": ""],
            "AWS_SECRET_ACCESS_KEY is not set"),
    ]

    @Test(arguments: ["pilot-worker", "pilot-web", "pilotctl"])
    func anUnusableDocumentSettingStopsTheExecutableAtStart(_ executable: String) throws {
        let path = try WorkerProcess.locate(executable).path
        let arguments = executable == "pilotctl" ? ["pilot", "show", "some-thread"] : []
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("refusal-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (values, expected) in Self.cases {
            let environment = values.merging([
                "PILOT_WORKSPACE": folder.path, "PILOT_WEB_TOKEN": "token-0123456789abcdef",
                // Nothing listens here: a process that got past its checks could not connect anyway.
                "PILOT_AMQP_URL": "amqp://guest:guest@127.0.0.1:\(freeLoopbackPort())/%2f",
            ]) { $1 }
            let error = try #require(throws: ShellError.self, "\(executable) \(values)") {
                try shell([path] + arguments, environment: environment)
            }
            #expect(error.status != 0)
            #expect(error.output.contains(expected), "\(executable): \(error.output)")
            #expect(!error.output.contains("secret-never-shown"))
        }
    }
}
