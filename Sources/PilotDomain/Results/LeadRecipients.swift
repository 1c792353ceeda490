/// The lead's contacts as recipients: each address once, never the founder; the
/// founder alone when nobody else is left, so `To` is never empty.
struct LeadRecipients {
    let people: [Person]
    let addresses: [MailAddress]

    init(_ request: PilotRequest) {
        var seen: Set<String> = [request.founder.email.lowercased()]
        people = request.lead.contacts.map(\.person).filter { seen.insert($0.email.lowercased()).inserted }
        addresses = people.isEmpty ? [MailAddress(request.founder)] : people.map(MailAddress.init)
    }
}
