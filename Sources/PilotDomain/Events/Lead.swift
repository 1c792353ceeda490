/// The qualified lead: company, people, time zone and working hours
/// (`defs.v1.json#/$defs/lead`).
public struct Lead: Codable, Hashable, Sendable {
    public var company: Company
    /// At least one; technical contacts are invited to the kickoff.
    public var contacts: [Contact]
    /// An IANA time zone name such as `America/New_York`.
    public var timezone: String
    /// The lead's working hours in `timezone`; absent means 09:00 to 17:00.
    public var businessHours: BusinessHours?

    enum CodingKeys: String, CodingKey {
        case company, contacts, timezone
        case businessHours = "business_hours"
    }

    public init(company: Company, contacts: [Contact], timezone: String, businessHours: BusinessHours? = nil) {
        self.company = company
        self.contacts = contacts
        self.timezone = timezone
        self.businessHours = businessHours
    }

    /// The technical team; everyone when nobody is marked technical, so that an
    /// invite always reaches someone on the lead's side.
    public var kickoffContacts: [Contact] {
        let technical = contacts.filter(\.technical)
        return technical.isEmpty ? contacts : technical
    }
}

/// The lead's company (`defs.v1.json#/$defs/company`).
public struct Company: Codable, Hashable, Sendable {
    public var name: String
    public var domain: String?
    public var industry: String?
    public var size: CompanySize?

    public init(name: String, domain: String? = nil, industry: String? = nil, size: CompanySize? = nil) {
        self.name = name
        self.domain = domain
        self.industry = industry
        self.size = size
    }
}

/// A head-count band (`"51-200"`) or a number of employees: the schema allows both.
public enum CompanySize: Codable, Hashable, Sendable {
    case band(String)
    case employees(Int)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let count = try? container.decode(Int.self) {
            self = .employees(count)
        } else {
            self = .band(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .band(let text): try container.encode(text)
        case .employees(let count): try container.encode(count)
        }
    }
}

/// A person on the lead's side (`defs.v1.json#/$defs/contact`).
public struct Contact: Codable, Hashable, Sendable {
    public var name: String
    public var email: String
    public var title: String?
    /// Member of the technical team: invited to the kickoff.
    public var technical: Bool
    /// Can sign; absent means false.
    public var decisionMaker: Bool?

    enum CodingKeys: String, CodingKey {
        case name, email, title, technical
        case decisionMaker = "decision_maker"
    }

    public init(name: String, email: String, title: String? = nil, technical: Bool, decisionMaker: Bool? = nil) {
        self.name = name
        self.email = email
        self.title = title
        self.technical = technical
        self.decisionMaker = decisionMaker
    }

    /// The contact as a `Person` (name and address).
    public var person: Person { Person(name: name, email: email) }
}

/// Working hours as the event carries them, `"HH:MM"` strings
/// (`defs.v1.json#/$defs/business_hours`). `BusinessWindow` is the checked form.
public struct BusinessHours: Codable, Hashable, Sendable {
    public var start: String
    public var end: String

    public init(start: String, end: String) {
        self.start = start
        self.end = end
    }
}
