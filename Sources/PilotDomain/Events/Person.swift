/// Someone identified by name and e-mail address: the founder, or who signed
/// (`defs.v1.json#/$defs/person`).
public struct Person: Codable, Hashable, Sendable {
    /// Full name, one line.
    public var name: String
    /// An addr-spec such as `sam@pilot-worker.dev`.
    public var email: String

    public init(name: String, email: String) {
        self.name = name
        self.email = email
    }
}
