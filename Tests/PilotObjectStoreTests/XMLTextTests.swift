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
}
