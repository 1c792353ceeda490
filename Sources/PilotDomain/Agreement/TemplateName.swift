import Synchronization

/// A member name of a `TemplateValue` object, interned: equal names have the same number,
/// so building an agreement's values and looking their names up compare integers.
/// Hashing the names as `String` keys of dictionaries was about a third of the time the
/// compiled template took, values included.
///
/// Names are interned where they are written once: the agreement's as static constants
/// (`TemplateName+Agreement.swift`), a template's when it is compiled. A string literal
/// interns each time it is evaluated (a lock and a hash), which is fine in tests and
/// rare paths only.
struct TemplateName: Hashable, Sendable, ExpressibleByStringLiteral {
    /// Its place in the table: the same for the same text.
    let index: Int32

    init(_ text: String) { index = Self.table.withLock { $0.index(of: text) } }
    init(stringLiteral text: String) { self.init(text) }

    /// The name as written.
    var text: String { Self.table.withLock { $0.texts[Int(index)] } }

    /// Every name so far, at its index.
    static var texts: [String] { table.withLock { $0.texts } }

    /// Grows with every distinct name, never shrinks: the agreement's few dozen, and those
    /// of the workspace templates an operator writes (each compiled once, `TemplateCache`).
    private static let table = Mutex(Table())

    private struct Table {
        var indices: [String: Int32] = [:]
        var texts: [String] = []

        mutating func index(of text: String) -> Int32 {
            if let index = indices[text] { return index }
            let index = Int32(texts.count)
            texts.append(text)
            indices[text] = index
            return index
        }
    }
}
