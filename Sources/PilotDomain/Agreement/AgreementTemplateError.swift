import Mustache

/// A workspace agreement template that cannot be parsed. The caller falls back
/// to the built-in template or dead-letters; either way this says where and why.
public struct AgreementTemplateError: Error, Hashable, Sendable, CustomStringConvertible {
    /// 1-based line of the template.
    public var line: Int
    /// 1-based column.
    public var column: Int
    /// The text of that line.
    public var lineText: String
    /// What is wrong, in words.
    public var reason: String

    public init(line: Int, column: Int, lineText: String, reason: String) {
        self.line = line
        self.column = column
        self.lineText = lineText
        self.reason = reason
    }

    init(_ error: MustacheTemplate.ParserError) {
        self.init(line: error.context.lineNumber, column: error.context.columnNumber,
            lineText: error.context.line, reason: Self.reason(error.error))
    }

    public var description: String {
        "agreement template, line \(line), column \(column): \(reason): \(lineText)"
    }

    static func reason(_ error: any Error) -> String {
        guard let error = error as? MustacheTemplate.Error else { return String(describing: error) }
        return switch error {
        case .sectionCloseNameIncorrect: "a section is closed with a different name than it was opened with"
        case .unfinishedName: "a tag is not closed or its name is malformed"
        case .expectedSectionEnd: "a section is never closed"
        case .invalidSetDelimiter: "malformed set-delimiter tag"
        case .transformAppliedToInheritanceSection: "a transform is applied to an inheritance section"
        case .illegalTokenInsideInheritSection: "a tag that is not allowed inside an inheritance section"
        case .textInsideInheritSection: "text inside an inheritance section"
        case .invalidConfigVariableSyntax: "malformed pragma tag"
        case .unrecognisedConfigVariable: "unknown pragma"
        @unknown default: String(describing: error)
        }
    }
}
