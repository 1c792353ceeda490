import Foundation
import PilotDomain

/// The buyer's pilot page, linked from the kickoff and weekly e-mails when pilot-web is
/// published (`PILOT_WEB_PUBLIC_URL`, signed with `PILOT_WEB_SECRET`). The link is signed
/// from the e-mail's own event time, so a redelivery writes the same e-mail.
public struct BuyerLinks: Sendable, Equatable {
    public var publicURL: String
    public var secret: String
    /// How long a link in an e-mail stays valid: a 60-day pilot and a month after it.
    public var validDays: Int

    public init(publicURL: String, secret: String, validDays: Int = 90) {
        self.publicURL = publicURL
        self.secret = secret
        self.validDays = validDays
    }

    func url(thread: String, from time: Date) -> String {
        ShareLink(threadID: thread, days: validDays, now: time, secret: secret).url(baseURL: publicURL)
    }
}
