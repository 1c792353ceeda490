import Foundation

/// Runs a program to completion and returns its combined output; throws on a non-zero exit,
/// and kills it and throws if it still runs after `timeout` (a hung `rabbitmqctl` must fail
/// its test, not hold one of the few threads that run every test).
@discardableResult
public func shell(_ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(300)) throws -> String {
    guard let executable = which(arguments[0]) else {
        throw ShellError(command: arguments[0], status: 127, output: "not found on PATH")
    }
    // A file, not a pipe: a daemon the command starts (a broker) inherits the output
    // and would hold a pipe open forever.
    let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("shell-\(UUID().uuidString).log")
    defer { try? FileManager.default.removeItem(at: outputFile) }
    let child = try ChildProcess(
        path: executable, arguments: Array(arguments.dropFirst()),
        environment: ProcessInfo.processInfo.environment.merging(environment) { $1 }, outputPath: outputFile.path)
    guard let status = child.wait(blockingFor: timeout) else {
        child.signal(SIGKILL)
        _ = child.wait(blockingFor: .seconds(10))
        let text = (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
        throw ShellError(command: arguments.joined(separator: " "), status: -1, output: "still running after \(timeout), killed\n\(text)")
    }
    let text = (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
    guard status == 0 else {
        throw ShellError(command: arguments.joined(separator: " "), status: status, output: text)
    }
    return text
}

public struct ShellError: Error, CustomStringConvertible {
    public var command: String
    public var status: Int32
    public var output: String
    public var description: String { "`\(command)` exited \(status):\n\(output.suffix(3000))" }

    public init(command: String, status: Int32, output: String) {
        self.command = command
        self.status = status
        self.output = output
    }
}

/// The package root, found from this file's location.
public let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
