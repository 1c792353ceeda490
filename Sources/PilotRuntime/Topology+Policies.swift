import Foundation
import PilotJSON

extension Topology {
    /// A RabbitMQ policy: broker-side settings operators can change without redeclaring
    /// queues (arguments cannot change once a queue exists).
    public struct Policy: Sendable, Equatable {
        public var name: String
        public var pattern: String
        public var applyTo: String
        public var priority: Int
        public var definition: JSONObject
    }

    /// Deliveries of one message before the broker gives up on it. The worker acks every
    /// delivery it processes (retries go through the tier queues), so a message only comes
    /// back this often when it crashes the worker or the worker's store keeps failing: after
    /// that many returns the broker moves it to the stage's `.dead` queue instead of
    /// crashing worker after worker. High, because a long store outage also returns batches.
    public static let deliveryLimit = 50

    /// One policy per stage queue: the quorum queue's delivery limit, dead-lettering to
    /// the stage's `.dead` queue without losing the message on the way.
    public var policies: [Policy] {
        stages.map { stage in
            Policy(
                name: "pilot-stage-\(stage.name)",
                pattern: "^" + stage.queue.replacingOccurrences(of: ".", with: "\\.") + "$",
                applyTo: "queues", priority: 10,
                definition: JSONObject([
                    ("delivery-limit", .int(Int64(Self.deliveryLimit))),
                    ("dead-letter-exchange", ""),
                    ("dead-letter-routing-key", .string(stage.deadQueue)),
                    ("dead-letter-strategy", "at-least-once"),
                    ("overflow", "reject-publish"),
                ]))
        }
    }
}
