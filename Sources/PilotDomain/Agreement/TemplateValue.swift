import Mustache

/// A value an agreement template sees: text, a flag, a list or an object. Typed, so that
/// `CompiledTemplate` looks names up without the dynamic casts swift-mustache needs for
/// `Any`; `mustacheValue` is the same value as swift-mustache takes it.
enum TemplateValue: Sendable {
    case text(String)
    case flag(Bool)
    case list([TemplateValue])
    case object(TemplateObject)

    /// The value as `MustacheObject`, `[Any]`, `String` or `Bool`, for swift-mustache.
    var mustacheValue: Any { mustacheValue(names: TemplateName.texts) }

    private func mustacheValue(names: [String]) -> Any {
        switch self {
        case .text(let text): text
        case .flag(let flag): flag
        case .list(let items): items.map { $0.mustacheValue(names: names) }
        case .object(let object):
            MustacheObject(object.members.map { (names[Int($0.index)], $1.mustacheValue(names: names)) })
        }
    }

    /// The member `name` of an object; nothing else has members.
    func member(_ name: TemplateName) -> TemplateValue? {
        guard case .object(let object) = self else { return nil }
        return object[name]
    }
}

extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral {
    init(stringLiteral text: String) { self = .text(text) }
    init(booleanLiteral flag: Bool) { self = .flag(flag) }
}

/// An object's members in the order they were added, each name once. Looked up by
/// scanning: an agreement's largest object has about fifty members, and comparing that
/// many integers costs less than hashing one name.
struct TemplateObject: Sendable, ExpressibleByDictionaryLiteral {
    private(set) var members: [(TemplateName, TemplateValue)]

    /// - Precondition: each name once, as in a dictionary literal.
    init(dictionaryLiteral members: (TemplateName, TemplateValue)...) {
        self.members = members
        assert(Set(members.map(\.0)).count == members.count, "a name given twice")
    }

    subscript(name: TemplateName) -> TemplateValue? {
        get {
            for member in members where member.0 == name { return member.1 }
            return nil
        }
        set {
            let index = members.firstIndex { $0.0 == name }
            switch (index, newValue) {
            case let (index?, value?): members[index].1 = value
            case let (index?, nil): members.remove(at: index)
            case let (nil, value?): members.append((name, value))
            case (nil, nil): break
            }
        }
    }

    /// `other`'s members added, each replacing a member of the same name.
    mutating func merge(_ other: TemplateObject) {
        members.reserveCapacity(members.count + other.members.count)
        for (name, value) in other.members { self[name] = value }
    }
}

/// An object as swift-mustache takes it: its members by name, as a dictionary, and printed
/// (`{{object}}`) in their order. A dictionary's order differs from one instance to the
/// next, and what `CompiledTemplate` prints for an object must be what swift-mustache
/// prints for it.
struct MustacheObject: MustacheParent, MustacheTransformable, CustomStringConvertible {
    let members: [(String, Any)]
    private let byName: [String: Any]

    init(_ members: [(String, Any)]) {
        self.members = members
        byName = Dictionary(members, uniquingKeysWith: { _, last in last })
    }

    func child(named name: String) -> Any? { byName[name] }

    /// A dictionary's transforms, in the members' order.
    func transform(_ name: String) -> Any? {
        switch name {
        case "count": members.count
        case "empty": members.isEmpty
        case "enumerated": members.map { (key: $0.0, value: $0.1) }
        case "sorted": members.map { (key: $0.0, value: $0.1) }.sorted { $0.key < $1.key }
        default: nil
        }
    }

    /// As a dictionary writes itself, in the members' order.
    var description: String {
        members.isEmpty ? "[:]" : "[" + members.map { String(reflecting: $0.0) + ": " + String(reflecting: $0.1) }.joined(separator: ", ") + "]"
    }
}
