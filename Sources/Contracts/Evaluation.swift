/// One failure as it climbs out of the recursion. Paths are collected leaf
/// first, each level appending its own tokens on the way out, so that the
/// success path never builds a path at all.
struct Failure {
    var keyword: String
    /// Without the location; `validationError()` puts it in front.
    var message: String
    /// Instance pointer tokens, innermost first.
    var instanceTokens: [String] = []
    /// Schema pointer tokens, innermost first.
    var schemaTokens: [String]

    var instancePath: String { JSONPointer.join(instanceTokens.reversed()) }
    var schemaPath: String { JSONPointer.join(schemaTokens.reversed()) }

    func validationError() -> ValidationError {
        let instancePath = instancePath
        return ValidationError(instancePath: instancePath, keyword: keyword, schemaPath: schemaPath,
            message: ValidationError.displayPath(instancePath) + ": " + message)
    }
}

/// The state of one validation. Passed `inout` down the node tree.
struct Evaluation {
    /// Whether failures are recorded; when false the first failure ends the walk.
    var collecting: Bool
    let limit: Int
    var failures: [Failure] = []
    /// How many `$ref`s deep the walk is; guards against a schema that refers to
    /// itself without ever looking at a smaller part of the instance.
    var referenceDepth = 0

    static let maximumReferenceDepth = 256

    init(collecting: Bool, limit: Int) {
        self.collecting = collecting
        self.limit = limit
    }

    /// Whether the walk should stop at the first failure from here on.
    var stops: Bool { !collecting || failures.count >= limit }

    /// Records a failure of `keyword` on the current instance (if collecting).
    /// The message is built only then.
    mutating func fail(_ keyword: String, _ message: @autoclosure () -> String) {
        guard collecting, failures.count < limit else { return }
        failures.append(Failure(keyword: keyword, message: message(), schemaTokens: [keyword]))
    }

    /// Records a failure whose place in the schema is more than the keyword, such as `dependentRequired/foo`.
    mutating func fail(_ keyword: String, at schemaPath: @autoclosure () -> [String],
        _ message: @autoclosure () -> String)
    {
        guard collecting, failures.count < limit else { return }
        failures.append(Failure(keyword: keyword, message: message(), schemaTokens: schemaPath().reversed()))
    }

    /// Records that the schema itself is `false`: the failure points at the schema, not at a keyword in it.
    mutating func failWholeSchema(_ message: @autoclosure () -> String) {
        guard collecting, failures.count < limit else { return }
        failures.append(Failure(keyword: "false", message: message(), schemaTokens: []))
    }

    /// Puts `schema` tokens (outermost first) and an instance token in front of
    /// the failures recorded since `start`.
    mutating func prefix(from start: Int, key: String? = nil, schema: String...) {
        prefix(from: start, instanceToken: key, schema: schema)
    }

    mutating func prefix(from start: Int, index: Int, schema: String...) {
        guard start < failures.count else { return }
        prefix(from: start, instanceToken: String(index), schema: schema)
    }

    private mutating func prefix(from start: Int, instanceToken: String?, schema: [String]) {
        guard start < failures.count else { return }
        for position in start..<failures.count {
            if let instanceToken { failures[position].instanceTokens.append(instanceToken) }
            failures[position].schemaTokens.append(contentsOf: schema.reversed())
        }
    }

    /// Runs `body` without recording failures: for `if`, `not`, `contains` and the
    /// first, quick pass over `anyOf`/`oneOf`, where only the verdict matters.
    mutating func quietly(_ body: (inout Evaluation) -> Bool) -> Bool {
        let wasCollecting = collecting
        collecting = false
        defer { collecting = wasCollecting }
        return body(&self)
    }
}
