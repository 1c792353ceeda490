#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PilotJSON

/// The schema documents `$ref` may point into, keyed by URI, and the schemas
/// compiled from them.
///
/// Load a folder once at start-up with ``init(directory:options:)``; every
/// `*.json` in it is registered under its `$id` and compiled, so a broken
/// schema stops the process before the first message, not on it.
public struct SchemaRegistry: Sendable {
    var documents: [SchemaDocument] = []
    /// Absolute URI without fragment → the schema resource it names.
    var resources: [String: SchemaLocation] = [:]
    /// Absolute URI with a plain-name fragment (`…#foo`) → the schema carrying that `$anchor`.
    var anchors: [String: SchemaLocation] = [:]

    /// The schemas compiled by ``init(directory:options:)``, by `$id`.
    public private(set) var schemas: [String: Schema] = [:]

    /// An empty registry.
    public init() {}

    /// Registers every `*.json` file of `directory` (not its subfolders) and
    /// compiles each; a file without `$id` is known by its `file://` URL.
    public init(directory: String, options: SchemaOptions = .init()) throws(SchemaError) {
        let folder = URL(filePath: directory, directoryHint: .isDirectory)
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            throw SchemaError(.unreadable, schema: directory, location: "", reason: "cannot list the folder: \(error)")
        }
        var ids: [String] = []
        for name in names.sorted() where name.hasSuffix(".json") {
            let file = folder.appending(path: name)
            ids.append(try register(Self.read(file), uri: file.absoluteString))
        }
        for id in ids {
            schemas[id] = try compile(id, options: options)
        }
    }

    private static func read(_ file: URL) throws(SchemaError) -> JSONValue {
        let bytes: Data
        do {
            bytes = try Data(contentsOf: file)
        } catch {
            throw SchemaError(.unreadable, schema: file.path, location: "", reason: "cannot read the file: \(error)")
        }
        do {
            return try JSONValue(parsing: [UInt8](bytes))
        } catch {
            throw SchemaError(.unreadable, schema: file.path, location: "", reason: error.description)
        }
    }

    /// Adds a schema document without compiling it.
    ///
    /// - Parameters:
    ///   - document: the schema.
    ///   - uri: where the document was retrieved from, such as `http://localhost:1234/tree.json`;
    ///     its `$id`, if any, is resolved against this. Without either, the document gets a
    ///     private URI of its own.
    /// - Returns: the URI of the document's root resource (its `$id` when it has one),
    ///   to pass to ``compile(_:options:)``.
    @discardableResult
    public mutating func register(_ document: JSONValue, uri: String? = nil) throws(SchemaError) -> String {
        let retrievalURI = uri ?? "https://anonymous.schema.invalid/\(documents.count).json"
        let indexed = try SchemaDocument(root: document, uri: retrievalURI)
        let number = documents.count
        var declared: [(uri: String, pointer: String)] = [(URIReference(retrievalURI).withoutFragment.text, "")]
        declared += indexed.resources
        // All checked before any is added, so that a refused document leaves the registry as it was.
        var seen: [String: String] = [:]
        for (resourceURI, pointer) in declared {
            if let existing = resources[resourceURI] {
                throw SchemaError(.duplicateID(resourceURI), schema: retrievalURI, location: pointer,
                    reason: "\(resourceURI) is already declared by \(documents[existing.document].uri)")
            }
            if let other = seen.updateValue(pointer, forKey: resourceURI), other != pointer {
                throw SchemaError(.duplicateID(resourceURI), schema: retrievalURI, location: pointer,
                    reason: "\(resourceURI) is declared twice in this document, also at \(other)")
            }
        }
        for (resourceURI, pointer) in declared {
            resources[resourceURI] = SchemaLocation(document: number, pointer: pointer)
        }
        for (anchorURI, pointer) in indexed.anchors {
            anchors[anchorURI] = SchemaLocation(document: number, pointer: pointer)
        }
        documents.append(indexed)
        return indexed.baseURIs[""]?.text ?? retrievalURI
    }

    /// Compiles the schema that `uri` names (a resource, optionally with a
    /// JSON-pointer or anchor fragment), following its `$ref`s through this registry.
    public func compile(_ uri: String, options: SchemaOptions = .init()) throws(SchemaError) -> Schema {
        let reference = URIReference(uri)
        var compiler = SchemaCompiler(registry: self, options: options)
        let root = try compiler.compileReference(reference)
        let location = locate(reference)
        return Schema(id: uri, root: root, nodes: compiler.nodes,
            document: location.flatMap { $0.pointer.isEmpty ? documents[$0.document].uri : nil },
            documentsReachedAtRoot: compiler.documentsReachedAtRoot)
    }

    /// The compiled schema whose `$id` is `id`, loaded by ``init(directory:options:)``.
    public subscript(id: String) -> Schema? {
        schemas[id]
    }

    /// Where an absolute reference points: a resource plus a JSON pointer or an anchor.
    func locate(_ reference: URIReference) -> SchemaLocation? {
        let resource = reference.withoutFragment.text
        let fragment = reference.fragment ?? ""
        if fragment.isEmpty || fragment.hasPrefix("/") {
            guard let base = resources[resource],
                let decoded = URIReference.percentDecoded(fragment),
                let tokens = JSONPointer.tokens(decoded)
            else { return nil }
            return SchemaLocation(document: base.document, pointer: base.pointer + JSONPointer.join(tokens))
        }
        return anchors[resource + "#" + fragment]
    }
}
