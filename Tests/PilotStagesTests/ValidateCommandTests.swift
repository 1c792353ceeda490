import Foundation
import PilotJSON
import PilotRuntime
import PilotTestKit
import Testing

/// `pilotctl validate` run as the real executable, as an operator or a script runs it:
/// each exit status, files and standard input. No broker is involved.
@Suite struct ValidateCommandTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    struct TimedOut: Error, CustomStringConvertible {
        var description: String { "pilotctl validate did not exit within 60 s" }
    }

    /// A private folder for the files of one test, removed by the caller.
    static func makeFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pilotctl-validate-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Runs `pilotctl validate arguments`, with `stdin` piped into it when given (else
    /// /dev/null), and returns its status and both output streams apart.
    func validate(
        _ arguments: [String], stdin: [UInt8]? = nil,
        schemas: String = packageRoot.appendingPathComponent("schemas").path
    ) async throws -> Run {
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("stdin")
        let output = folder.appendingPathComponent("stdout")
        let errors = folder.appendingPathComponent("stderr")
        try Data(stdin ?? []).write(to: input)
        // The shell only connects the streams: a real pipe into pilotctl, stderr to its own file.
        let script = stdin == nil
            ? #""$0" validate "$@" <"/dev/null" 2>"$VALIDATE_STDERR""#
            : #"cat "$VALIDATE_STDIN" | "$0" validate "$@" 2>"$VALIDATE_STDERR""#
        let child = try ChildProcess(
            path: "/bin/sh", arguments: ["-c", script, try WorkerProcess.locate("pilotctl").path] + arguments,
            environment: ProcessInfo.processInfo.environment.merging([
                "PILOT_SCHEMAS": schemas, "VALIDATE_STDIN": input.path, "VALIDATE_STDERR": errors.path,
            ]) { $1 },
            outputPath: output.path)
        guard let status = await child.wait(timeout: .seconds(60)) else {
            child.signal(SIGKILL)
            _ = await child.wait(timeout: .seconds(10))
            throw TimedOut()
        }
        let read = { (file: URL) in (try? String(contentsOf: file, encoding: .utf8)) ?? "" }
        return Run(status: status, stdout: read(output), stderr: read(errors))
    }

    /// A valid `pilot.requested`, optionally with `data` changed by `edit`.
    static func request(id: String = "req-1", _ edit: (inout JSONObject) -> Void = { _ in }) -> [UInt8] {
        var data = TestEvents.sampleRequest.object!
        edit(&data)
        return TestEvents.make(id: id, data: .object(data)).document.serializedBytes()
    }

    @Test func aValidEventExitsZero() async throws {
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("event.json")
        try Data(Self.request(id: "req-valid")).write(to: file)

        let run = try await validate([file.path])
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout == "valid: pilot.requested req-valid\n")
        #expect(run.stderr.isEmpty)
    }

    @Test func standardInputIsRead() async throws {
        let valid = try await validate(["-"], stdin: Self.request(id: "req-stdin"))
        #expect(valid.status == 0, "\(valid)")
        #expect(valid.stdout == "valid: pilot.requested req-stdin\n")

        let invalid = try await validate(["-"], stdin: Array(#"{"specversion": "1.0"}"#.utf8))
        #expect(invalid.status == 1, "\(invalid)")
        #expect(invalid.stdout.hasPrefix("invalid: "))

        let garbage = try await validate(["-"], stdin: Array("not json at all".utf8))
        #expect(garbage.status == 2, "\(garbage)")
        #expect(garbage.stderr.contains("standard input is not JSON"))
        #expect(garbage.stdout.isEmpty)
    }

    @Test func anInvalidEventExitsOneWithEachError() async throws {
        let bad = Self.request { data in
            var terms = data["terms"]!.object!
            terms["duration_days"] = 45
            data["terms"] = .object(terms)
            data["founder"] = nil
        }
        let run = try await validate(["-"], stdin: bad)
        #expect(run.status == 1, "\(run)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == #"invalid: the event does not match the schema of "pilot.requested""#)
        #expect(lines.contains("/data/terms/duration_days (maximum): 45 is greater than the maximum 30"), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("/data (required): ") && $0.contains("founder") }, "\(lines)")
        #expect(lines.count == 3, "one headline and one line per error: \(lines)")
        #expect(run.stderr.isEmpty)
    }

    @Test func theEnvelopeIsChecked() async throws {
        // A thread id that would climb out of threads/sales/.
        var document = try JSONValue(parsing: Self.request()).object!
        document["subject"] = "../etc"
        let run = try await validate(["-"], stdin: JSONValue.object(document).serializedBytes())
        #expect(run.status == 1, "\(run)")
        #expect(run.stdout.contains("/subject ("), "\(run.stdout)")

        let array = try await validate(["-"], stdin: Array("[1, 2]".utf8))
        #expect(array.status == 1, "\(array)")
        #expect(array.stdout.hasPrefix("invalid: the event is not a JSON object"))
    }

    /// The examples leave `id` and `time` to `publish`: as they are, a worker would refuse them.
    @Test func asPublishedFillsInWhatPublishFillsIn() async throws {
        let example = packageRoot.appendingPathComponent("examples/pilot.requested.json").path
        let plain = try await validate([example])
        #expect(plain.status == 1, "\(plain)")
        #expect(plain.stdout.contains("(root) (required): "), "\(plain.stdout)")

        let filled = try await validate(["--as-published", example])
        #expect(filled.status == 0, "\(filled)")
        #expect(filled.stdout.hasPrefix("valid: pilot.requested "))
    }

    @Test func unusableInputExitsTwo() async throws {
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = try await validate([folder.appendingPathComponent("nope.json").path])
        #expect(missing.status == 2, "\(missing)")
        #expect(missing.stderr.contains("cannot read") && missing.stderr.contains("no such file"), "\(missing.stderr)")
        #expect(missing.stdout.isEmpty)

        let unreadable = try await validate([folder.path])
        #expect(unreadable.status == 2, "\(unreadable)")
        #expect(unreadable.stderr.contains("cannot read"), "\(unreadable.stderr)")

        // JSON that lenient parsers take: a repeated key, a trailing comma, NaN, a truncated document.
        for text in [#"{"id": "a", "id": "b"}"#, #"{"id": "a",}"#, #"{"n": NaN}"#, #"{"id": "#] {
            let file = folder.appendingPathComponent("loose.json")
            try Data(text.utf8).write(to: file)
            let run = try await validate([file.path])
            #expect(run.status == 2, "\(text): \(run)")
            #expect(run.stderr.contains("loose.json is not JSON"), "\(text): \(run.stderr)")
        }

        let noSchemas = try await validate(["-"], stdin: Self.request(), schemas: folder.appendingPathComponent("absent").path)
        #expect(noSchemas.status == 2, "\(noSchemas)")
        #expect(noSchemas.stderr.contains("cannot load the event schemas"), "\(noSchemas.stderr)")

        let empty = folder.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let emptySchemas = try await validate(["-"], stdin: Self.request(), schemas: empty.path)
        #expect(emptySchemas.status == 2, "\(emptySchemas)")
        #expect(emptySchemas.stderr.contains("no event schemas in"), "\(emptySchemas.stderr)")
    }

    @Test func helpDocumentsTheExitStatus() async throws {
        let run = try await validate(["--help"])
        #expect(run.status == 0, "\(run)")
        for code in ["0  valid", "1  invalid", "2  unusable input"] {
            #expect(run.stdout.contains(code), "\(run.stdout)")
        }
    }
}
