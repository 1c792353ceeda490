import Contracts
import Foundation
import PilotDomain
import PilotJSON

/// The built-in agreement rendered for the `pilot.requested` of `examples/`, compiled
/// (`CompiledTemplate`, what the agreement stage uses) beside swift-mustache alone on the
/// same template and request, alternately in the same run.
struct RenderBenchmark {
    var messages: Int

    func run() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../examples/pilot.requested.json").standardized.path
        guard let file = FileManager.default.contents(atPath: path), let data = try JSONValue(parsing: Array(file))["data"] else {
            throw ValidateBenchmark.ValidationFailure(description: "cannot read the data of \(path)")
        }
        let request = try JSONValueDecoder().decode(PilotRequest.self, from: data)
        let criteria = SuccessCriteria.derive(from: request.qualification, durationDays: request.terms.resolvedDurationDays)
        let start = CalendarDate(iso: "2026-12-01")!
        let compiled = try AgreementRenderer()
        let baseline = try AgreementRenderer(compile: false)
        let text = compiled.render(request: request, criteria: criteria, startDate: start)
        guard text == baseline.render(request: request, criteria: criteria, startDate: start) else {
            throw ValidateBenchmark.ValidationFailure(description: "the two renderings differ")
        }
        var sink = 0
        var ratios: [Double] = []
        for round in 1...3 {
            let mustache = timed { sink &+= baseline.render(request: request, criteria: criteria, startDate: start).utf8.count }
            let ours = timed { sink &+= compiled.render(request: request, criteria: criteria, startDate: start).utf8.count }
            ratios.append(mustache / ours)
            say(String(format: "round %d: agreement (%d bytes), µs each: swift-mustache %.1f, compiled %.1f (%.2f× faster) (checksum %d)",
                       round, text.utf8.count, mustache * 1e6, ours * 1e6, mustache / ours, sink % 7))
        }
        say(String(format: "median: compiled %.2f× faster than swift-mustache", ratios.sorted()[1]))
    }

    /// Seconds per call over `messages` calls.
    private func timed(_ body: () -> Void) -> Double {
        let start = ContinuousClock.now
        for _ in 0..<messages { body() }
        let elapsed = ContinuousClock.now - start
        return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18) / Double(messages)
    }
}
