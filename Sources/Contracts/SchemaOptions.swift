/// How a schema is compiled.
public struct SchemaOptions: Sendable {
    /// Whether `format` asserts (`date-time`, `date`, `email`, `uuid`, `uri`,
    /// `uri-reference`; other formats are ignored) or only annotates, as draft
    /// 2020-12 does by default. Our contracts rely on it asserting.
    public var formatAssertion: Bool
    /// Whether a keyword that is neither an assertion nor a known annotation
    /// fails compilation, so that a misspelt `"maxLenght"` is caught rather than
    /// ignored. Keywords starting with `x-` are always allowed.
    public var rejectUnknownKeywords: Bool

    public init(formatAssertion: Bool = true, rejectUnknownKeywords: Bool = true) {
        self.formatAssertion = formatAssertion
        self.rejectUnknownKeywords = rejectUnknownKeywords
    }
}
