/// A mailbox for a header: an optional display name and an address.
public struct MailAddress: Hashable, Sendable {
    /// Any text; header encoding makes it safe (quoted, or RFC 2047 when not ASCII).
    public var name: String?
    /// An addr-spec; anything that could end the address or the header is removed when written.
    public var email: String

    public init(name: String? = nil, email: String) {
        self.name = name
        self.email = email
    }

    public init(_ person: Person) {
        self.init(name: person.name, email: person.email)
    }

    public init(_ contact: Contact) {
        self.init(name: contact.name, email: contact.email)
    }

    /// The header words: the display name's, then `<address>`.
    var headerWords: [String] {
        let phrase = MailHeader.phrase(name ?? "")
        return phrase + ["<" + MailHeader.addrSpec(email) + ">"]
    }
}
