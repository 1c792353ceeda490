/// A position in an array, as a coding key.
struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { String(intValue!) }
    init(_ index: Int) { intValue = index }
    init?(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { nil }
}

/// The key `superDecoder()`/`superEncoder()` use, as Foundation's coders do.
struct SuperKey: CodingKey {
    var stringValue: String { "super" }
    var intValue: Int? { nil }
    init() {}
    init?(stringValue: String) { nil }
    init?(intValue: Int) { nil }
}

/// The keys from the root to an object or array being read or written, as a chain that
/// containers share. `codingPath` is asked for rarely (errors, a few hand-written
/// coders), so it is built only then: copying an array of keys into every member's
/// coder cost more than decoding the member.
final class CodingPathNode {
    let key: any CodingKey
    let parent: CodingPathNode?

    init(_ key: any CodingKey, parent: CodingPathNode?) {
        self.key = key
        self.parent = parent
    }

    /// The node for `key` under `parent`, or `parent` itself at the root (no key).
    static func child(_ parent: CodingPathNode?, _ key: (any CodingKey)?) -> CodingPathNode? {
        key.map { CodingPathNode($0, parent: parent) } ?? parent
    }

    static func keys(_ node: CodingPathNode?, then last: (any CodingKey)? = nil) -> [any CodingKey] {
        var keys: [any CodingKey] = last.map { [$0] } ?? []
        var node = node
        while let current = node {
            keys.append(current.key)
            node = current.parent
        }
        return keys.reversed()
    }
}

/// What a keyed container reads or writes, and its place, behind one reference: the
/// standard library's container box copies the container for every call, and three
/// reference-counted fields made that three retains and three releases per member.
final class ContainerPlace<Content> {
    let content: Content
    let node: CodingPathNode?
    let userInfo: [CodingUserInfoKey: Any]

    init(_ content: Content, node: CodingPathNode?, userInfo: [CodingUserInfoKey: Any]) {
        self.content = content
        self.node = node
        self.userInfo = userInfo
    }
}

/// A keyed container that keeps its content and place in a `ContainerPlace`.
protocol PlacedContainer {
    associatedtype Content
    var place: ContainerPlace<Content> { get }
}

extension PlacedContainer {
    /// The object's place.
    var node: CodingPathNode? { place.node }
    var userInfo: [CodingUserInfoKey: Any] { place.userInfo }
    var codingPath: [any CodingKey] { CodingPathNode.keys(node) }
}

enum CodingPath {
    /// `data.terms.use_cases[2].title`, or `(root)`.
    static func describe(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue, key is IndexKey {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text.isEmpty ? "(root)" : text
    }
}
