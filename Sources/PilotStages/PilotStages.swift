import PilotStageAPI

/// The stages of the `sales:pilot` action, in pipeline order; the raw value is the name
/// used in configuration, queues, logs and metrics.
public enum PilotStage: String, CaseIterable, Sendable {
    case agreement
    case kickoff
    case monitoring
    case results
    case nextAction = "next-action"
}

/// The stage handlers of the `sales:pilot` action.
public enum PilotStages {
    /// The handlers of `stage`, chasing signatures and changing pilots by `policy`, with
    /// the buyer's page linked from the e-mails when `links` is given.
    public static func definition(of stage: PilotStage, policy: LifecyclePolicy = LifecyclePolicy(), links: BuyerLinks? = nil) -> StageDefinition {
        switch stage {
        case .agreement: AgreementStage.definition
        case .kickoff: KickoffStage.definition(links)
        case .monitoring: MonitoringStage.definition(policy, links)
        case .results: ResultsStage.definition
        case .nextAction: NextActionStage.definition
        }
    }
}
