import PilotJSON

/// A compiled schema: a tree of keyword checks with every `$ref` already
/// resolved and every `pattern` already compiled, ready to validate many instances.
///
/// Two forms of it: the tree of `SchemaNode`s, which says why an instance is
/// invalid, and `SchemaProgram`, flat tables that only say whether, several
/// times faster; valid instances (nearly all of them) only meet the second.
///
/// Safe to share between threads: nothing in it changes after compilation.
public final class Schema: Sendable {
    /// The URI the schema was compiled from.
    public let id: String
    let root: SchemaNode
    /// Every node of this schema, so that `deinit` can break the cycles recursive `$ref`s make.
    private let nodes: [SchemaNode]
    /// Registry URIs of the documents whose root this schema applies (through `$ref`, or being one).
    private let documentsReachedAtRoot: Set<String>
    /// The registry URI of the document this schema is the root of, if it is one.
    private let document: String?
    /// The same schema as flat tables, for the verdict alone: what valid instances go through.
    private let program: SchemaProgram

    init(id: String, root: SchemaNode, nodes: [SchemaNode], document: String?, documentsReachedAtRoot: Set<String>) {
        self.id = id
        self.root = root
        self.nodes = nodes
        self.document = document
        self.documentsReachedAtRoot = documentsReachedAtRoot
        program = SchemaProgram(root: root, nodes: nodes)
    }

    /// Whether this schema applies all of `other` (it is `other`, or `$ref`s its root),
    /// so that validating against both would do the same work twice.
    public func includes(_ other: Schema) -> Bool {
        other.document.map(documentsReachedAtRoot.contains) ?? false
    }

    deinit {
        for node in nodes { node.release() }
    }

    /// Why `instance` does not satisfy the schema; empty when it does.
    ///
    /// - Parameter maximumErrors: collection stops after this many errors.
    ///   Alternatives of `anyOf`/`oneOf` that all fail count as one error.
    public func validate(_ instance: JSONValue, maximumErrors: Int = 20) -> [ValidationError] {
        // The fast verdict first; the tree, which says why, only for an invalid instance.
        if program.isValid(instance) { return [] }
        var evaluation = Evaluation(collecting: true, limit: max(1, maximumErrors))
        if root.validate(instance, &evaluation) { return [] }
        return evaluation.failures.map { $0.validationError() }
    }

    /// Whether `instance` satisfies the schema; stops at the first failure.
    public func isValid(_ instance: JSONValue) -> Bool {
        program.isValid(instance)
    }

    /// Why `document` does not satisfy the schema; empty when it does. A valid document is
    /// checked in json-c's own tree; only an invalid one is converted, for the tree to say why.
    public func validate(_ document: ParsedJSON, maximumErrors: Int = 20) -> [ValidationError] {
        if isValid(document) { return [] }
        return validate(document.value, maximumErrors: maximumErrors)
    }

    /// Whether `document` satisfies the schema, read in json-c's own tree.
    public func isValid(_ document: ParsedJSON) -> Bool {
        document.withRoot { program.isValid($0) }
    }

    /// The verdict of the node tree, which `validate` reports errors from; the tests hold
    /// `isValid` (the flat program) to it.
    func treeVerdict(_ instance: JSONValue) -> Bool {
        var evaluation = Evaluation(collecting: false, limit: 1)
        return root.validate(instance, &evaluation)
    }
}
