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

    /// The handler of `stage`.
    public func handler(for stage: Stage) -> any EventHandler {
        switch stage.name {
        case "agreement": AgreementStage(templates: templates)
        case "kickoff": KickoffStage(workspace: workspace)
        case "monitoring":
            MonitoringStage(gate: SignatureGate(templates: templates), tick: DailyTick(evaluator: DayEvaluator()))
        case "results": ResultsStage()
        default: NextActionStage()
        }
    }
}
