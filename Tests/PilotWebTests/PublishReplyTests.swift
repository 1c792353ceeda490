import Foundation
import PilotTestKit
import Synchronization
import Testing

@testable import PilotWeb

/// A request waiting for its publish hears once: from its publisher thread, or from its
/// deadline when that thread is held inside a publish (a broker under a memory alarm stops
/// reading, and the publish waits as long as the alarm lasts).
@Suite struct PublishReplyTests {
    final class Outcome: Sendable {
        let answer = Mutex<String?>(nil)
    }

    /// Waits on a request in a task of its own, so a reply that never comes fails the
    /// test at the wait's timeout instead of hanging it.
    func outcome(_ start: @escaping @Sendable (PublishReply) -> Void) async throws -> String {
        let outcome = Outcome()
        Task {
            do {
                try await withCheckedThrowingContinuation { start(PublishReply($0)) }
                outcome.answer.withLock { $0 = "published" }
            } catch {
                outcome.answer.withLock { $0 = "\(error)" }
            }
        }
        try await waitUntil("the request's answer", timeout: .seconds(10)) { outcome.answer.withLock { $0 } != nil }
        return outcome.answer.withLock { $0 } ?? ""
    }

    @Test func aRequestNoThreadAnswersFailsAtItsDeadline() async throws {
        let answer = try await outcome { $0.failAfter(.milliseconds(100), PublishFailure("no confirm within 0.1 s")) }
        #expect(answer == "no confirm within 0.1 s")
    }

    /// The thread's answer after the deadline's, or the deadline's after the thread's, is
    /// dropped (resuming a continuation twice would stop the process).
    @Test func onlyTheFirstAnswerCounts() async throws {
        let failed = try await outcome { reply in
            reply.resume(throwing: PublishFailure("no confirm within 10 s"))
            reply.resume()
        }
        #expect(failed == "no confirm within 10 s")
        let published = try await outcome { reply in
            reply.resume()
            reply.resume(throwing: PublishFailure("too late"))
            reply.failAfter(.zero, PublishFailure("too late"))
        }
        #expect(published == "published")
    }
}
