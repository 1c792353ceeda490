import PilotJSON

/// Everything a stage may read about the event's pilot, loaded by the runtime before the
/// handler runs (in one store read for the whole batch) and brought up to date between
/// the events of one batch. What is loaded besides the pilot record is what the route
/// asked for in its `SnapshotNeeds`.
public struct PilotSnapshot: Sendable {
    /// The pilot as committed, or nil for a thread with no pilot yet.
    public var pilot: Pilot?
    /// Each day's metrics report (the event's `data`), by day; with `needs.monitoring`.
    public var metrics: [DayMetrics]
    /// Each issue's latest report, by issue id; with `needs.monitoring`.
    public var issues: [Issue]
    /// Feedback responses (each event's `data`), oldest first; with `needs.monitoring`.
    public var feedback: [JSONValue]
    /// The thread's documents asked for by name in `needs.documents`, e.g.
    /// `pilot-agreement-custom.md`; a missing file has no entry.
    public var documents: [String: [UInt8]]
    /// The sales team's templates; with `needs.templates`.
    public var templates: Templates

    public init(
        pilot: Pilot? = nil, metrics: [DayMetrics] = [], issues: [Issue] = [], feedback: [JSONValue] = [],
        documents: [String: [UInt8]] = [:], templates: Templates = Templates()
    ) {
        self.pilot = pilot
        self.metrics = metrics
        self.issues = issues
        self.feedback = feedback
        self.documents = documents
        self.templates = templates
    }

    /// The pilot record: the columns operators filter on and the stages' JSON state.
    public struct Pilot: Sendable, Equatable {
        /// The stage that last saved it.
        public var stage: String
        /// Where the pilot is, e.g. `agreement_sent`, `active`, `completed`.
        public var status: String
        public var state: JSONValue
        /// The version it was read at; the commit succeeds only if it is still current.
        public var version: Int64

        public init(stage: String, status: String, state: JSONValue, version: Int64) {
            self.stage = stage
            self.status = status
            self.state = state
            self.version = version
        }
    }

    public struct DayMetrics: Sendable, Equatable {
        public var day: Int
        public var data: JSONValue
        /// Keeps what a stage decodes from `data`, for the next tick that reads the same
        /// row (the store's cache hands out the same memo for the same text).
        public var memo: JSONMemo
        public init(day: Int, data: JSONValue, memo: JSONMemo = JSONMemo()) {
            self.day = day
            self.data = data
            self.memo = memo
        }
    }

    public struct Issue: Sendable, Equatable {
        public var id: String
        public var data: JSONValue
        public init(id: String, data: JSONValue) {
            self.id = id
            self.data = data
        }
    }

    /// The template texts of `artifacts/sales/current/`; nil means the built-in default.
    public struct Templates: Sendable, Equatable {
        public var agreement: String?
        public init(agreement: String? = nil) { self.agreement = agreement }
    }
}

/// What a route wants in its snapshot besides the pilot record, so the runtime reads
/// nothing a stage does not use.
public struct SnapshotNeeds: Sendable, Equatable {
    /// The pilot's metrics, issues and feedback.
    public var monitoring = false
    /// The templates of `artifacts/sales/current/`.
    public var templates = false
    /// Documents of the event's thread, by name (`pilot-agreement-custom.md`).
    public var documents: [String] = []

    public init(monitoring: Bool = false, templates: Bool = false, documents: [String] = []) {
        self.monitoring = monitoring
        self.templates = templates
        self.documents = documents
    }

    /// The pilot record only.
    public static let pilot = SnapshotNeeds()
}
