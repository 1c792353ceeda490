import ArgumentParser
import Foundation
import PilotDomain
import PilotStageAPI

extension PilotCommand {
    /// `pilotctl pilot share T [--days 30]`: the buyer's link to the pilot's page.
    struct Share: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the buyer's signed link to a pilot's page on pilot-web.",
            discussion: """
                The link is signed with PILOT_WEB_SECRET (the same secret pilot-web checks) and stops working \
                after --days days. It starts with PILOT_WEB_PUBLIC_URL when that is set; otherwise only the path \
                and query are printed.
                """)

        @Argument(help: "The pilot's thread id.") var thread: String
        @Option(help: "Days the link stays valid (1…365).") var days = 30
        @Option(help: "Secret shared with pilot-web; prefer the variable, a flag shows in ps. [PILOT_WEB_SECRET]")
        var secret = ProcessInfo.processInfo.environment["PILOT_WEB_SECRET"] ?? ""
        @Option(help: "Public base URL of pilot-web, e.g. https://pilots.example.com. [PILOT_WEB_PUBLIC_URL]")
        var publicURL = ProcessInfo.processInfo.environment["PILOT_WEB_PUBLIC_URL"] ?? ""

        func validate() throws {
            guard ThreadID.isValid(thread) else { throw ValidationError("\(thread) is not a thread id") }
            guard (1...365).contains(days) else { throw ValidationError("--days must be 1…365") }
            guard secret.utf8.count >= 16 else {
                throw ValidationError("set PILOT_WEB_SECRET (at least 16 characters, the one pilot-web uses)")
            }
        }

        func run() throws {
            let link = ShareLink(threadID: thread, days: days, now: Date(), secret: secret)
            print(publicURL.isEmpty ? link.path : link.url(baseURL: publicURL))
        }
    }
}
