import Contracts
import Foundation
import Hummingbird
import Logging
import PilotIntake
import PilotJSON
import PilotRuntime
import PilotStageAPI

/// `POST /events`: a CloudEvent from an operator or an upstream system, checked as
/// `pilotctl publish` checks it and published to `pilot.events` with a confirm, byte for
/// byte as it came.
struct EventsRoute: Sendable {
    let token: BearerToken
    let body: BodyLimit
    let contracts: Contracts
    let publisher: PublisherPool
    let logger: Logger

    func handle(_ request: Request) async throws -> Response {
        guard token.accepts(authorization: request.headers[.authorization]) else {
            return JSONResponse.error(
                .unauthorized, "unauthorized", "a valid bearer token is required (Authorization: Bearer <PILOT_WEB_TOKEN>)",
                headers: [.wwwAuthenticate: "Bearer realm=\"pilot-web\""])
        }
        if let refusal = body.contentTypeProblem(request) { return refusal }
        let bytes: [UInt8]
        switch try await body.read(request) {
        case .bytes(let read): bytes = read
        case .refused(let refusal): return refusal
        }
        let event: CloudEvent
        do {
            event = try IncomingEvent.check(bytes: bytes, contracts: contracts)
        } catch {
            let problems: [JSONValue] = error.problems.map { ["path": .string($0.path), "message": .string($0.message)] }
            return JSONResponse.error(
                .badRequest, error.reason.rawValue, String(error.description.prefix { $0 != "\n" }),
                extra: [("errors", .array(problems))])
        }
        let publication = Publication(
            incoming: event, body: bytes, appID: "pilot-web", timestamp: UInt64(Date().timeIntervalSince1970))
        do {
            try await publisher.publish(publication)
        } catch {
            logger.warning("event not published", metadata: [
                "event_id": .string(event.id), "event_type": .string(event.type), "thread_id": .string(event.subject),
                "error": .string(String(describing: error)),
            ])
            let why = (error as? PublishFailure)?.unroutable == true
                ? "no queue took the event: the workers' queues for \(event.type) are not declared on this broker yet; send it again (same id) once they are"
                : "the broker did not confirm the event; send it again (same id)"
            return JSONResponse.error(.serviceUnavailable, "not_published", why, headers: [.retryAfter: "5"])
        }
        logger.info("event published", metadata: [
            "event_id": .string(event.id), "event_type": .string(event.type), "thread_id": .string(event.subject),
        ])
        return JSONResponse.make(.accepted, ["id": .string(event.id)])
    }
}
