/// A JSON object that remembers the order of its members, so documents we
/// write read in the order we built them.
///
/// Members live in one array: event objects have a handful of keys, where a linear
/// scan beats hashing and one allocation beats two. Past `indexThreshold` members a
/// hash index is built too, so a hostile object with 100,000 keys costs O(n), not O(n²).
public struct JSONObject: Sendable {
    private var storage: [(key: String, value: JSONValue)] = []
    private var index: [String: Int]?
    static let indexThreshold = 24

    public init() {}

    /// An empty object with room for `capacity` members.
    init(minimumCapacity capacity: Int) {
        storage.reserveCapacity(capacity)
    }

    /// Builds an object from members in order; a repeated key keeps its first
    /// position and its last value, like json-c.
    public init<S: Sequence>(_ members: S) where S.Element == (String, JSONValue) {
        storage.reserveCapacity(members.underestimatedCount)
        for (key, value) in members { self[key] = value }
    }

    /// The same from an array, the form nearly every caller writes: the generic one is not
    /// specialised in other modules, and walked the array through its iterator's witnesses
    /// (1.7 % of a worker's samples in a rehearsal's days phase).
    public init(_ members: [(String, JSONValue)]) {
        storage.reserveCapacity(members.count)
        for (key, value) in members { self[key] = value }
    }

    /// Builds an object from members whose keys the caller knows to be distinct (an
    /// encoder that has already merged repeated keys), without looking each one up.
    public init(uniqueMembers members: [(String, JSONValue)]) {
        storage.reserveCapacity(members.count)
        for (key, value) in members { appendUnique(key, value) }
    }

    /// Appends a member whose key the caller knows is not present yet (json-c has
    /// already merged duplicates).
    mutating func appendUnique(_ key: String, _ value: JSONValue) {
        if index != nil { index![key] = storage.count }
        storage.append((key, value))
        if index == nil, storage.count > Self.indexThreshold { buildIndex() }
    }

    public var count: Int { storage.count }
    public var isEmpty: Bool { storage.isEmpty }
    public var keys: [String] { storage.map(\.key) }

    /// Members in insertion order.
    public var members: [(key: String, value: JSONValue)] { storage }

    private func position(of key: String) -> Int? {
        if let index { return index[key] }
        return storage.firstIndex { $0.key == key }
    }

    private mutating func buildIndex() {
        var index = [String: Int](minimumCapacity: storage.count * 2)
        for (offset, member) in storage.enumerated() { index[member.key] = offset }
        self.index = index
    }

    public subscript(key: String) -> JSONValue? {
        get { position(of: key).map { storage[$0].value } }
        set {
            switch (position(of: key), newValue) {
            case (let at?, let value?):
                storage[at].value = value
            case (nil, let value?):
                appendUnique(key, value)
            case (let at?, nil):
                storage.remove(at: at)
                if index != nil { buildIndex() }
            case (nil, nil):
                break
            }
        }
    }
}

extension JSONObject: Equatable {
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (offset, member) in lhs.storage.enumerated() {
            // The member in the same place when it has the same bytes, else by name. json-c
            // keeps names that are distinct bytes but canonically equivalent ("K" and U+212A
            // KELVIN SIGN) as two members, which a lookup by Swift string equality takes for
            // one: without this an object holding both would not equal itself.
            let other: Int
            if offset < rhs.storage.count, rhs.storage[offset].key.utf8.elementsEqual(member.key.utf8) {
                other = offset
            } else if let found = rhs.position(of: member.key) {
                other = found
            } else {
                return false
            }
            let value = rhs.storage[other].value
            if !(value == member.value) { return false }
        }
        return true
    }
}

extension JSONObject: Hashable {
    /// Order-independent, as equality is.
    public func hash(into hasher: inout Hasher) {
        var combined = 0
        for member in storage {
            var inner = Hasher()
            inner.combine(member.key)
            inner.combine(member.value)
            combined ^= inner.finalize()
        }
        hasher.combine(count)
        hasher.combine(combined)
    }
}
