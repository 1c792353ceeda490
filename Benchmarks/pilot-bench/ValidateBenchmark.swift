import Contracts
import Foundation
import PilotJSON

/// Parsing and validating a `pilot.requested` (the sample of `examples/`, 1.9 KB) against
/// its schema, beside Python's `jsonschema` doing the same with the same schemas and
/// format checks, in the same run (`Benchmarks/python/validate_bench.py`).
struct ValidateBenchmark {
    var messages: Int
    var contracts: Contracts

    func run() throws {
        let body = try NoopStageBenchmark.sampleEvent()
        let event = try JSONValue(parsing: body)
        try contracts.validate(event: event)
        var sink = 0
        let start = ContinuousClock.now
        for _ in 0..<messages {
            let document = try JSONValue(parsing: body)
            try contracts.validate(event: document)
            sink &+= document.object?.count ?? 0
        }
        let ours = Double((ContinuousClock.now - start).milliseconds) / 1000
        let ourRate = Double(messages) / ours
        say(String(format: "ours: %d parses and validations in %.3f s = %.0f a second (%.1f µs each; checksum %d)",
                   messages, ours, ourRate, ours * 1e6 / Double(messages), sink % 7))

        let pythonMessages = max(200, messages / 50)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("validate-bench-\(getpid()).json")
        try Data(body).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", root.appendingPathComponent("Benchmarks/python/validate_bench.py").path,
            "--schemas", root.appendingPathComponent("schemas").path, "--event", file.path, "--messages", "\(pythonMessages)",
        ]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0, let seconds = text.split(separator: " ").dropLast().last.flatMap({ Double($0) }) else {
            throw ValidationFailure(description: "the Python peer failed: \(text)")
        }
        let pythonRate = Double(pythonMessages) / seconds
        say(String(format: "python jsonschema: %d in %.3f s = %.0f a second (%.1f µs each)", pythonMessages, seconds, pythonRate, seconds * 1e6 / Double(pythonMessages)))
        say(String(format: "validate: ours %.1f× Python's rate (target ≥ 20×)", ourRate / pythonRate))
    }

    struct ValidationFailure: Error, CustomStringConvertible {
        var description: String
    }
}
