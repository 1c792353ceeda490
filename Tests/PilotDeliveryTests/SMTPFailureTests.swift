import CCurl
import PilotCurl
import Testing

@testable import PilotDelivery

/// What a failed SMTP transfer means for its event: a 5xx about the message is final (dead
/// letter), one about the session (a login refused, TLS first) is the operator's to fix
/// and is retried, as are 4xx replies and broken connections.
@Suite struct SMTPFailureTests {
    func kind(_ reply: Int, _ code: CURLcode) -> SMTPMailer.Failure.Kind {
        SMTPMailer.Failure.Kind(replyCode: reply, CurlError(operation: "send", code: code, buffer: ""))
    }

    @Test func aRefusedMessageOrRecipientIsFinal() {
        #expect(kind(550, CURLE_SEND_ERROR) == .rejected)
        #expect(kind(554, CURLE_WEIRD_SERVER_REPLY) == .rejected)
        #expect(kind(552, CURLE_SEND_ERROR) == .rejected)
    }

    @Test func aRefusedSessionIsRetried() {
        #expect(kind(535, CURLE_LOGIN_DENIED) == .failed)
        #expect(kind(535, CURLE_SEND_ERROR) == .failed)
        #expect(kind(530, CURLE_SEND_ERROR) == .failed)
        #expect(kind(534, CURLE_LOGIN_DENIED) == .failed)
        #expect(kind(0, CURLE_LOGIN_DENIED) == .failed)
        #expect(kind(0, CURLE_USE_SSL_FAILED) == .failed)
    }

    @Test func temporaryRepliesAndBrokenConnectionsAreRetried() {
        #expect(kind(451, CURLE_SEND_ERROR) == .temporary)
        #expect(kind(0, CURLE_COULDNT_CONNECT) == .connection)
        #expect(kind(0, CURLE_OPERATION_TIMEDOUT) == .connection)
    }
}
