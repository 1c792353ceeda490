import Foundation
import PilotRuntime

extension Stage {
    /// The pipeline's stages and, when `PILOT_SMTP_URL` or `PILOT_WEBHOOK_URLS` is set as for
    /// the workers, the delivery stages: the same queues and bindings the workers declare.
    public static var configured: [Stage] { configured(environment: ProcessInfo.processInfo.environment) }

    /// `configured` under `environment`.
    public static func configured(environment: [String: String]) -> [Stage] {
        Stage.all + DeliveryRouting(environment: environment).stages
    }

    /// A stage named on the command line: a pipeline stage, `delivery`, or one webhook
    /// receiver's `delivery.webhook-<key>` (as `pilotctl queues` shows it), whether or not
    /// this shell has the delivery variables set.
    public static func forOperator(_ name: String) throws -> Stage {
        if let stage = configured.first(where: { $0.name == name }) { return stage }
        if name == DeliveryRouting.stageName {
            return Stage(name: name, routingKeys: [DeliveryRouting.mailType], usesStore: false)
        }
        let prefix = DeliveryRouting.stageName + ".webhook-"
        if name.hasPrefix(prefix), name.count == prefix.count + 10, name.dropFirst(prefix.count).allSatisfy(\.isHexDigit) {
            return Stage(name: name, routingKeys: [], usesStore: false, bindsRoutingKeys: false)
        }
        return try Stage.named([name])[0]
    }
}
