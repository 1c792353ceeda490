import Contracts
import Foundation
import Testing

@testable import PilotStageAPI

@Suite struct DerivedIDTests {
    @Test func sha1MatchesTheStandardVectors() {
        let hex = { (bytes: [UInt8]) in bytes.map { String(format: "%02x", $0) }.joined() }
        #expect(hex(SHA1.digest(Array("abc".utf8))) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(hex(SHA1.digest([])) == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(hex(SHA1.digest(Array(String(repeating: "a", count: 1000).utf8))) == "291e9a6c66994949b57ba5e650361e98fc36b1ba")
    }

    @Test func derivedIDsAreVersion5UUIDsOfTheCause() {
        let id = DerivedID.make(cause: "e1", type: "pilot.agreement.generated")
        #expect(id == DerivedID.make(cause: "e1", type: "pilot.agreement.generated"))
        #expect(id.count == 36)
        #expect(Array(id)[14] == "5")
        #expect(id != DerivedID.make(cause: "e1", type: "pilot.agreement.generated", discriminator: "x"))
    }
}

@Suite struct EventTimeTests {
    @Test func formatsRFC3339InUTCWholeSeconds() {
        #expect(EventTime.string(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(EventTime.string(Date(timeIntervalSince1970: 1_795_000_000.9)) == "2026-11-18T11:06:40Z")
        #expect(EventTime.string(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00Z")
        #expect(EventTime.date(EventTime.string(Date(timeIntervalSince1970: 1_795_000_000))) == Date(timeIntervalSince1970: 1_795_000_000))
    }
}
