import Foundation
import Testing
@testable import PilotWeb

/// The pages' settings: checked once at start-up, each error naming its flag and variable.
@Suite struct PageConfigurationTests {
    @Test func pagesSettingsHaveSafeDefaults() throws {
        let configuration = try WebConfiguration(workspace: "/srv/pilots")
        #expect(configuration.secret == nil)
        #expect(configuration.publicURL == nil)
        #expect(configuration.database == "/srv/pilots/.pilot/pilot.db")
        #expect(configuration.dayLength == .seconds(86_400))
        #expect(!configuration.secureCookies)
        let https = try WebConfiguration(secret: "0123456789abcdef", publicURL: "https://pilots.example.com", database: "/db/p.db", daySeconds: "2")
        #expect(https.secret == "0123456789abcdef")
        #expect(https.secureCookies)
        #expect(https.database == "/db/p.db")
        #expect(https.dayLength == .seconds(2))
    }

    @Test func badPagesSettingsAreRefusedByName() {
        let cases: [(WebConfigurationMaker, String)] = [
            ({ try WebConfiguration(secret: "short") }, "--secret [PILOT_WEB_SECRET]"),
            ({ try WebConfiguration(publicURL: "pilots.example.com") }, "--public-url [PILOT_WEB_PUBLIC_URL]"),
            ({ try WebConfiguration(publicURL: "https://pilots.example.com/?x=1") }, "--public-url [PILOT_WEB_PUBLIC_URL]"),
            ({ try WebConfiguration(daySeconds: "0") }, "--day-seconds [PILOT_DAY_SECONDS]"),
        ]
        for (make, flag) in cases {
            #expect {
                _ = try make()
            } throws: { error in
                (error as? ConfigurationError)?.description.hasPrefix(flag) == true
            }
        }
    }

    typealias WebConfigurationMaker = () throws -> WebConfiguration
}
