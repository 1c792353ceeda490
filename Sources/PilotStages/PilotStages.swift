import Foundation
import PilotRuntime

/// The stage handlers of the `sales:pilot` action, by stage.
public struct PilotStages: Sendable {
    let workspace: Workspace
    let templates: TemplateSource

    public init(workspace: Workspace) {
        self.workspace = workspace
        self.templates = TemplateSource(workspace: workspace.root)
    }

    /// The handler of `stage`. Results and next action are not built yet: their events are
    /// dead-lettered with `not_implemented`, never silently dropped.
    public func handler(for stage: Stage) -> any EventHandler {
        switch stage.name {
        case "agreement": AgreementStage(templates: templates)
        case "kickoff": KickoffStage(workspace: workspace)
        case "monitoring":
            MonitoringStage(gate: SignatureGate(templates: templates), tick: DailyTick(evaluator: DayEvaluator(workspace: workspace)))
        default: NotImplementedStage()
        }
    }
}

struct NotImplementedStage: EventHandler {
    func handle(_ event: CloudEvent, context: HandlerContext) throws -> HandlerOutcome {
        throw HandlerRejection(reason: "not_implemented", detail: "the \(context.stage.name) stage is not built yet")
    }
}
