import PilotRuntime
import PilotStages

extension PilotStage {
    /// The stage of the external contract's `stage`; the two lists are the same (a unit
    /// test compares them, routing keys included).
    init(contractStage stage: Stage) {
        guard let pilotStage = PilotStage(rawValue: stage.name) else {
            preconditionFailure("stage \(stage.name) of the contract has no handlers")
        }
        self = pilotStage
    }
}
