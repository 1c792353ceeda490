/// An agreement template compiled once into a tree that renders `TemplateValue`s.
///
/// swift-mustache looks every name up through `Any`: a split of the name, then dynamic
/// casts of each context level and of the value to its protocols. That was 70 % of the
/// time spent rendering an agreement, and rendering 41 % of the agreement consumer's CPU.
/// This tree holds the names already split and the values typed, and renders what
/// swift-mustache renders, byte for byte (`CompiledTemplateTests` holds it to
/// swift-mustache on the built-in templates and on thousands of random ones).
///
/// It knows the Mustache our templates use: text, variables (`{{x}}`, `{{{x}}}`,
/// `{{& x}}`, dotted names, `.`), sections, inverted sections and comments, in TEXT mode
/// (nothing escaped: the values are escaped for Markdown beforehand). `init` returns nil
/// for anything else (partials, inheritance, new delimiters, pragmas, transforms); such a
/// template renders through swift-mustache.
struct CompiledTemplate: Sendable {
    indirect enum Node: Sendable {
        case text(String)
        case variable(Name)
        case section(Name, [Node])
        case inverted(Name, [Node])
    }

    /// A name as written, and its parts: empty for `.`, the current value.
    struct Name: Sendable {
        let parts: [TemplateName]
        /// A leading dot: look in the current value only, not up the stack.
        let currentOnly: Bool

        init(_ text: String) {
            parts = text.split(separator: ".").map { TemplateName(String($0)) }
            currentOnly = text.first == "."
        }
    }

    let nodes: [Node]

    /// Compiles `text`, or returns nil when it uses more than `CompiledTemplate` renders
    /// or is not a valid template (swift-mustache reports the error).
    init?(_ text: String) {
        var parser = TemplateParser(Array(text))
        guard let nodes = try? parser.parse(newLine: true, section: nil) else { return nil }
        self.nodes = nodes
    }

    func render(_ root: TemplateValue) -> String {
        var output = ""
        // The built-in agreement is about 5.6 kB: growing the string from empty copied it
        // a dozen times.
        output.reserveCapacity(8_192)
        var stack = [root]
        render(nodes, &stack, into: &output)
        return output
    }

    private func render(_ nodes: [Node], _ stack: inout [TemplateValue], into output: inout String) {
        for node in nodes {
            switch node {
            case .text(let text):
                output += text
            case .variable(let name):
                switch Self.lookUp(name, in: stack) {
                case nil: break
                case .text(let text): output += text
                case .flag(let flag): output += flag ? "true" : "false"
                // What swift-mustache prints for a list or an object: its description.
                case let value?: output += String(describing: value.mustacheValue)
                }
            case .section(let name, let body):
                switch Self.lookUp(name, in: stack) {
                case nil: break
                case .flag(let flag):
                    if flag { render(body, &stack, into: &output) }
                case .list(let items):
                    for item in items {
                        stack.append(item)
                        render(body, &stack, into: &output)
                        stack.removeLast()
                    }
                case let value?:
                    stack.append(value)
                    render(body, &stack, into: &output)
                    stack.removeLast()
                }
            case .inverted(let name, let body):
                switch Self.lookUp(name, in: stack) {
                case nil: render(body, &stack, into: &output)
                case .flag(let flag): if !flag { render(body, &stack, into: &output) }
                case .list(let items):
                    // swift-mustache renders an empty list's inverted section with the list on the stack.
                    if items.isEmpty {
                        stack.append(.list([]))
                        render(body, &stack, into: &output)
                        stack.removeLast()
                    }
                case .some: break
                }
            }
        }
    }

    /// The value `name` names: its first part looked for from the innermost value out
    /// (or in the innermost only, after a leading dot), the other parts inside it.
    private static func lookUp(_ name: Name, in stack: [TemplateValue]) -> TemplateValue? {
        guard let first = name.parts.first else { return stack.last }
        var found: TemplateValue?
        for candidate in stack.reversed() {
            found = candidate.member(first)
            if found != nil || name.currentOnly { break }
        }
        guard var value = found else { return nil }
        for part in name.parts.dropFirst() {
            guard let found = value.member(part) else { return nil }
            value = found
        }
        return value
    }
}
