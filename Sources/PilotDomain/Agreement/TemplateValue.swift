/// A value an agreement template sees: text, a flag, a list or an object. Typed, so that
/// `CompiledTemplate` looks names up without the dynamic casts swift-mustache needs for
/// `Any`; `mustacheValue` is the same value as swift-mustache takes it.
enum TemplateValue: Sendable {
    case text(String)
    case flag(Bool)
    case list([TemplateValue])
    case object([String: TemplateValue])

    /// The value as `[String: Any]`, `[Any]`, `String` or `Bool`, for swift-mustache.
    var mustacheValue: Any {
        switch self {
        case .text(let text): text
        case .flag(let flag): flag
        case .list(let items): items.map(\.mustacheValue)
        case .object(let members): members.mapValues(\.mustacheValue)
        }
    }

    /// The member `name` of an object; nothing else has members.
    func member(_ name: String) -> TemplateValue? {
        guard case .object(let members) = self else { return nil }
        return members[name]
    }
}

extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral {
    init(stringLiteral text: String) { self = .text(text) }
    init(booleanLiteral flag: Bool) { self = .flag(flag) }
}
