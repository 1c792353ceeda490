@testable import PilotObjectStore
import Testing

/// S3's XML replies, read without a server.
struct XMLTextTests {
    @Test func aListingReadsEachKeyAndItsTimeFromItsOwnEntry() {
        let xml = """
            <ListBucketResult><Name>b</Name><Contents><Key>p/a&amp;lt;b</Key><LastModified>2026-12-06T06:00:00.000Z</LastModified>\
            </Contents><Contents><Key>p/c</Key><LastModified>soon</LastModified></Contents><IsTruncated>false</IsTruncated></ListBucketResult>
            """
        let entries = XMLText.elements("Contents", in: xml)
        #expect(entries.count == 2)
        #expect(XMLText.first("Key", in: entries[0]) == "p/a&lt;b", "unescaped once")
        #expect(XMLText.first("LastModified", in: entries[1]) == "soon")
    }

    @Test func aDeleteRequestEscapesEachKeyAndReadsBackAsGiven() {
        let keys: ArraySlice = ["a&b<c>'\".md", "plain", "&amp;"]
        let xml = S3Client.deleteRequest(keys)
        #expect(xml.hasSuffix(
            "<Quiet>true</Quiet><Object><Key>a&amp;b&lt;c&gt;&apos;&quot;.md</Key></Object><Object><Key>plain</Key></Object>"
                + "<Object><Key>&amp;amp;</Key></Object></Delete>"))
        #expect(XMLText.all("Key", in: xml) == Array(keys))
    }

    @Test func aDeleteReplyThatKeptAKeyIsAnErrorNamingIt() throws {
        let reply = """
            <?xml version="1.0" encoding="UTF-8"?><DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">\
            <Error><Key>p/.pilot-staging/a&amp;b</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error>\
            <Error><Key>p/other</Key><Code>InternalError</Code><Message>later</Message></Error></DeleteResult>
            """
        let error = try #require(S3Client.refusal(in: Array(reply.utf8)))
        #expect(error.key == "p/.pilot-staging/a&b" && error.code == "AccessDenied" && error.operation == "DELETE", "\(error)")
        #expect(error.description == "S3 DELETE of p/.pilot-staging/a&b failed: HTTP 200 AccessDenied: Access Denied")
        #expect(S3Client.refusal(in: Array(#"<?xml version="1.0"?><DeleteResult></DeleteResult>"#.utf8)) == nil)
    }

    @Test func keysAreEscapedScalarByScalarAndWhatXMLCannotCarryIsKnown() {
        #expect(XMLText.escape("a&\u{301}b") == "a&amp;\u{301}b", "a combining mark does not hide the ampersand")
        #expect(XMLText.escape("x\r\ny\tz") == "x&#13;&#10;y&#9;z", "a parser would turn a raw CR into LF")
        #expect(XMLText.canCarry("été/a\tb\r\n"))
        #expect(!XMLText.canCarry("a\u{1}b") && !XMLText.canCarry("a\u{FFFE}") && !XMLText.canCarry("\u{0}"))
    }

    @Test func aStoreWithoutDeleteObjectsGetsOneKeyARequestAndOtherFailuresAreThrown() {
        func error(_ status: Int, _ code: String?) -> S3Error {
            let body = code.map { "<Error><Code>\($0)</Code><Message>m</Message></Error>" } ?? "<html>no</html>"
            return S3Error(operation: "DELETE", key: "k", status: status, body: Array(body.utf8))
        }
        #expect(S3Client.fallback(for: error(501, "NotImplemented")) == .always)
        #expect(S3Client.fallback(for: error(405, nil)) == .always)
        #expect(S3Client.fallback(for: error(400, "MalformedXML")) == .thisRequest)
        #expect(S3Client.fallback(for: error(400, "InvalidDigest")) == .thisRequest)
        #expect(S3Client.fallback(for: error(403, "AccessDenied")) == .none)
        #expect(S3Client.fallback(for: error(404, "NoSuchBucket")) == .none)
        #expect(S3Client.fallback(for: error(503, "SlowDown")) == .none)
        #expect(S3Client.fallback(for: error(200, "AccessDenied")) == .none, "a key the store kept is that key's failure")
    }
}
