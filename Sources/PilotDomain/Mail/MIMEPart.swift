import Foundation

/// One body part of a `multipart/mixed` message.
public struct MIMEPart: Hashable, Sendable {
    /// How the body is written on the wire.
    public enum Encoding: String, Hashable, Sendable {
        /// Readable text with `=XX` for the rest.
        case quotedPrintable = "quoted-printable"
        /// Lines of 76 characters.
        case base64
    }

    /// `inline` or `attachment`, with a file name.
    public struct Disposition: Hashable, Sendable {
        public var attachment: Bool
        public var filename: String?

        public init(attachment: Bool, filename: String? = nil) {
            self.attachment = attachment
            self.filename = filename
        }
    }

    /// `text/plain`, `text/calendar`, …
    public var mediaType: String
    /// `charset`, `method`, `name`…, in order.
    public var parameters: [MIMEParameter]
    public var disposition: Disposition?
    /// Without angle brackets; referenced as `cid:` + this.
    public var contentID: String?
    public var encoding: Encoding
    public var body: [UInt8]

    public init(mediaType: String, parameters: [MIMEParameter] = [], disposition: Disposition? = nil,
        contentID: String? = nil, encoding: Encoding, body: [UInt8])
    {
        self.mediaType = mediaType
        self.parameters = parameters
        self.disposition = disposition
        self.contentID = contentID
        self.encoding = encoding
        self.body = body
    }

    /// A readable `text/plain; charset=utf-8` body, quoted-printable.
    public static func plainText(_ text: String) -> MIMEPart {
        MIMEPart(mediaType: "text/plain", parameters: [MIMEParameter("charset", "utf-8")],
            encoding: .quotedPrintable, body: Array(text.utf8))
    }

    /// A meeting request: `text/calendar; charset=utf-8; method=REQUEST` (or the
    /// cancellation's `method=CANCEL`, which must match the `.ics` METHOD, RFC 6047 §2.4),
    /// shown inline (so clients offer accept/decline) and named for clients that save it.
    public static func calendar(_ ics: String, filename: String = "invite.ics", method: ICalendarInvite.Method = .request)
        -> MIMEPart
    {
        MIMEPart(mediaType: "text/calendar",
            parameters: [MIMEParameter("charset", "utf-8"), MIMEParameter("method", method.rawValue)],
            disposition: Disposition(attachment: false, filename: filename), encoding: .base64,
            body: Array(ics.utf8))
    }

    /// A text file attached, base64. Line ends become CRLF: the canonical form
    /// of every `text/*` body (RFC 2046 §4.1.1), whatever the file on disk uses.
    public static func attachment(filename: String, mediaType: String, text: String, contentID: String? = nil)
        -> MIMEPart
    {
        MIMEPart(mediaType: mediaType,
            parameters: [MIMEParameter("charset", "utf-8"), MIMEParameter("name", filename)],
            disposition: Disposition(attachment: true, filename: filename), contentID: contentID,
            encoding: .base64, body: crlf(text))
    }

    /// The UTF-8 of `text` with every LF, CR or CRLF as CRLF, in one pass over the bytes
    /// (Foundation's `replacingOccurrences`, three times, was most of an attachment's cost).
    static func crlf(_ text: String) -> [UInt8] {
        let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + text.utf8.count / 16)
        var afterCR = false
        for byte in text.utf8 {
            if byte == cr {
                out += [cr, lf]
            } else if byte == lf {
                if !afterCR { out += [cr, lf] }  // the LF of a CRLF is already written
            } else {
                out.append(byte)
            }
            afterCR = byte == cr
        }
        return out
    }

    /// Headers, a blank line and the encoded body, CRLF throughout.
    var serialized: String {
        var params = [mediaType + (parameters.isEmpty ? "" : ";")]
        for (offset, parameter) in parameters.enumerated() {
            let value = MailHeader.parameter(parameter.value, alwaysQuote: parameter.name == "name")
            params.append(parameter.name + "=" + value + (offset < parameters.count - 1 ? ";" : ""))
        }
        var text = MailHeader.field("Content-Type", params)
        text += MailHeader.field("Content-Transfer-Encoding", [encoding.rawValue])
        if let disposition {
            var words = [disposition.attachment ? "attachment" : "inline"]
            if let filename = disposition.filename {
                words[0] += ";"
                words.append("filename=" + MailHeader.parameter(filename, alwaysQuote: true))
            }
            text += MailHeader.field("Content-Disposition", words)
        }
        if let contentID { text += MailHeader.field("Content-ID", ["<" + MailHeader.addrSpec(contentID) + ">"]) }
        text += "\r\n"
        switch encoding {
        case .base64: text += Base64.lines(body)
        case .quotedPrintable: text += QuotedPrintable.encode(String(decoding: body, as: UTF8.self))
        }
        return text
    }
}

/// A `name=value` parameter of a MIME header; the value is quoted when needed.
public struct MIMEParameter: Hashable, Sendable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}
