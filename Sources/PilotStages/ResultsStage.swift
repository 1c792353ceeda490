import Foundation
import PilotDomain
import PilotJSON
import PilotStageAPI

/// `pilot.results.requested` → `pilot-results.md`, `results-email.eml`, `outcome.json`,
/// the charts, and `pilot.results.compiled` for the next-action stage.
enum ResultsStage {
    struct Requested: Decodable, Sendable {
        /// The pilot days the results cover: the pilot's length, or fewer when an operator
        /// closes it early. `period_end` says when that day ended; the days decide.
        var days: Int
    }

    static let definition = StageDefinition(PilotStage.results.rawValue) { stage in
        stage.on("pilot.results.requested", as: Requested.self, needs: SnapshotNeeds(monitoring: true), requested)
    }

    static func requested(_ event: TypedEvent<Requested>, _ snapshot: PilotSnapshot, _ context: StageContext) throws -> StageOutcome {
        let record = try StageSupport.pilot(snapshot, for: event.envelope, needing: "pilot.requested")
        guard record.status == PilotStatus.active.rawValue else {
            throw StageSupport.wrongState("results for \(event.subject) need an active pilot, found \(record.status)")
        }
        let thread = event.subject
        var state = try StageSupport.state(of: record)
        let now = try StageSupport.time(of: event.envelope)
        // Judged on the days the request covers: an early close is not judged as if the
        // days still to come had passed without metrics, nor its totals against the whole
        // pilot's targets.
        let days = min(event.data.days, state.resolvedDuration)
        let evaluation = try Evaluations.load(snapshot, state: state, throughDay: days, closing: true)
        let timeZone = try Evaluations.timeZone(state)
        let resultsPath = StageSupport.path(thread, ResultsReport.fileName)
        let emlPath = StageSupport.path(thread, "results-email.eml")
        let outcomePath = StageSupport.path(thread, PilotOutcome.fileName)
        let report = ResultsReport.render(evaluation: evaluation, startDate: state.pilotStartDate, timeZone: timeZone)
        let email = ResultsEmail.message(thread: thread, evaluation: evaluation, resultsText: report, now: now)
        let outcome = PilotOutcome(evaluation, resultsPath: resultsPath)
        let mail = StageSupport.mail(email, path: emlPath, kind: "results", from: event.envelope, context)
        state.resultsDays = days
        return StageOutcome(
            events: [
                mail.event,
                context.derived("pilot.results.compiled", from: event.envelope,
                    data: outcome.compiledData(resultsPath: resultsPath, outcomePath: outcomePath)),
            ],
            documents: [
                Document(path: resultsPath, text: report), mail.document,
                Document(path: outcomePath, bytes: outcome.document.serializedBytes()),
            ] + Evaluations.charts(evaluation, thread: thread),
            pilot: try StageSupport.update(state, context, status: .resultsCompiled))
    }
}
