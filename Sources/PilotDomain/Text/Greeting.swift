/// How e-mails address people.
public enum Greeting {
    /// The first word of a name, on one line: "Dana" for "Dana Whitfield".
    public static func firstName(_ name: String) -> String {
        MailHeader.sanitized(name).split(separator: " ").first.map(String.init) ?? ""
    }

    /// "Hi Dana,", "Hi Dana and Ravi,", "Hi Dana, Ravi and Mia,"; "Hi all," past
    /// five people or when no name is known.
    public static func line(_ names: [String]) -> String {
        var seen = Set<String>()
        let first = names.map(firstName).filter { !$0.isEmpty && seen.insert($0).inserted }
        switch first.count {
        case 0: return "Hi all,"
        case 1: return "Hi \(first[0]),"
        case 2...5: return "Hi " + first.dropLast().joined(separator: ", ") + " and " + first.last! + ","
        default: return "Hi all,"
        }
    }
}
