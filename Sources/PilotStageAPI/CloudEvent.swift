import Contracts
import PilotJSON

/// A CloudEvents 1.0 event in structured JSON mode, as carried in one message body.
public struct CloudEvent: Sendable {
    public var id: String
    public var source: String
    public var type: String
    /// The thread id of the pilot.
    public var subject: String
    public var time: String
    public var causationID: String?
    private var body: Body

    /// The document as built, or as json-c parsed it from a message body: then it becomes
    /// a Swift tree only when a handler first asks for `document` or `data`.
    private enum Body: Sendable {
        case tree(JSONValue)
        case parsed(ParsedJSON)
    }

    /// The whole document as received.
    public var document: JSONValue {
        get {
            switch body {
            case .tree(let document): document
            case .parsed(let parsed): parsed.value
            }
        }
        set { body = .tree(newValue) }
    }

    /// The payload, a JSON object.
    public var data: JSONValue {
        get { document["data"] ?? [:] }
        set {
            var object = document.object ?? JSONObject()
            object["data"] = newValue
            document = .object(object)
        }
    }

    /// `data` decoded as `T`. From a parsed body it is read in place, in json-c's tree: a
    /// handler's typed event then builds no Swift tree of the document.
    public func decodeData<T: Decodable>(_ type: T.Type, using decoder: JSONValueDecoder = JSONValueDecoder()) throws -> T {
        switch body {
        case .tree: return try decoder.decode(T.self, from: data)
        case .parsed(let parsed):
            return try parsed.withRoot { root in
                guard let data = root.member("data") else { return try decoder.decode(T.self, from: [:] as JSONValue) }
                return try decoder.decode(T.self, from: data)
            }
        }
    }

    /// A top-level attribute (an extension attribute, say), read without converting the
    /// rest of a parsed document.
    public func attribute(_ name: String) -> JSONValue? {
        switch body {
        case .tree(let document): document[name]
        case .parsed(let parsed): parsed[member: name]
        }
    }

    /// Reads the envelope fields every handler relies on. The full contract is
    /// checked by the schemas; this is what the runtime itself cannot do without.
    public init(document: JSONValue) throws(EnvelopeError) {
        guard let object = document.object else { throw EnvelopeError("the body is not a JSON object") }
        try self.init(body: .tree(document)) { object[$0].map(Attribute.init) }
    }

    /// The same from json-c's tree of a message body, which stays unconverted.
    public init(parsed: ParsedJSON) throws(EnvelopeError) {
        guard parsed.withRoot(\.isObject) else { throw EnvelopeError("the body is not a JSON object") }
        try self.init(body: .parsed(parsed)) { name in parsed.withRoot { $0.member(name).map(Attribute.init) } }
    }

    /// What the envelope checks need of an attribute's value.
    private enum Attribute {
        case string(String)
        case object
        case other

        init(_ value: JSONValue) {
            switch value {
            case .string(let string): self = .string(string)
            case .object: self = .object
            default: self = .other
            }
        }

        init(_ node: JSONCNode) {
            self = node.string.map(Attribute.string) ?? (node.isObject ? .object : .other)
        }
    }

    private init(body: Body, attribute: (String) -> Attribute?) throws(EnvelopeError) {
        func text(_ key: String) throws(EnvelopeError) -> String {
            guard let value = attribute(key) else { throw EnvelopeError("missing \"\(key)\"") }
            guard case .string(let string) = value, !string.isEmpty else {
                throw EnvelopeError("\"\(key)\" must be a non-empty string")
            }
            return string
        }
        let version = try text("specversion")
        guard version == "1.0" else { throw EnvelopeError("specversion \"\(version)\" is not \"1.0\"") }
        id = try text("id")
        source = try text("source")
        type = try text("type")
        subject = try text("subject")
        guard ThreadID.isValid(subject) else {
            throw EnvelopeError("subject \(ThreadID.quoted(subject)) is not a valid thread id")
        }
        time = try text("time")
        if case .string(let causation) = attribute("causationid") { causationID = causation }
        guard case .object = attribute("data") else {
            throw EnvelopeError("missing \"data\" object")
        }
        self.body = body
    }

    /// Builds a new event document.
    public init(
        id: String, source: String, type: String, subject: String, time: String,
        causationID: String?, data: JSONValue
    ) {
        self.id = id
        self.source = source
        self.type = type
        self.subject = subject
        self.time = time
        self.causationID = causationID
        var members: [(String, JSONValue)] = [
            ("specversion", "1.0"), ("id", .string(id)), ("source", .string(source)), ("type", .string(type)),
            ("subject", .string(subject)), ("time", .string(time)), ("datacontenttype", "application/json"),
            ("dataschema", .string(type + ".v1")),
        ]
        if let causationID { members.append(("causationid", .string(causationID))) }
        members.append(("data", data))
        body = .tree(.object(JSONObject(uniqueMembers: members)))
    }
}

/// Why a JSON body is not a CloudEvents envelope we can route.
public struct EnvelopeError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Thread ids become folder names, so they are checked before any path is built.
public enum ThreadID {
    /// `^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$` and never `..`.
    public static func isValid(_ id: String) -> Bool { isValid(id[...]) }

    /// The same rule for a part of a longer text (a document path's thread folder).
    public static func isValid(_ id: Substring) -> Bool {
        let bytes = id.utf8
        guard let first = bytes.first, isAlphanumeric(first), bytes.count <= 128 else { return false }
        var previousDot = false
        for byte in bytes {
            let dot = byte == UInt8(ascii: ".")
            guard isAlphanumeric(byte) || dot || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") else {
                return false
            }
            if dot && previousDot { return false }
            previousDot = dot
        }
        return true
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// A log-safe rendering of an untrusted id: quoted, control characters escaped, cut at 80.
    public static func quoted(_ id: String) -> String {
        let cut = id.unicodeScalars.prefix(80)
        let escaped = cut.map { $0.value < 0x20 || $0.value == 0x7F ? "\\u{\(String($0.value, radix: 16))}" : String($0) }
        return "\"" + escaped.joined() + (id.unicodeScalars.count > 80 ? "…" : "") + "\""
    }
}
