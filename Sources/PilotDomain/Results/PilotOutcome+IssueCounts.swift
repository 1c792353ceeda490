extension PilotOutcome {
    /// `defs.v1.json#/$defs/issues_summary`.
    public struct IssueCounts: Codable, Hashable, Sendable {
        public var resolved: Int
        public var unresolved: Int

        public init(resolved: Int, unresolved: Int) {
            self.resolved = resolved
            self.unresolved = unresolved
        }
    }
}
