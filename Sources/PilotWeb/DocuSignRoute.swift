import Contracts
import Foundation
import Hummingbird
import Logging
import PilotIntake
import PilotJSON
import PilotRuntime
import PilotStageAPI

/// `POST /webhooks/docusign`: DocuSign Connect notifications, HMAC-signed, turned
/// into `pilot.signed` or `pilot.declined`. DocuSign retries anything but a 200, so
/// 200 means "confirmed by the broker" or "nothing to do", and 503 "try again".
struct DocuSignRoute: Sendable {
    let signature: DocuSignSignature
    let body: BodyLimit
    let contracts: Contracts
    let publisher: PublisherPool
    let logger: Logger

    func handle(_ request: Request) async throws -> Response {
        // The signature is checked before anything else is said about the request: a caller
        // without the key learns only 401 (and 413, since the body must be read to check it).
        var signatures: [String] = []
        for n in 1...DocuSignSignature.maximumHeaders {
            guard let name = HTTPFields.Element.Name(DocuSignSignature.header(n)), let value = request.headers[name] else { break }
            signatures.append(value)
        }
        guard !signature.isEmpty, !signatures.isEmpty else { return refuseSignature(signatures) }
        let bytes: [UInt8]
        switch try await body.read(request) {
        case .bytes(let read): bytes = read
        case .refused(let refusal): return refusal
        }
        guard signature.verify(body: bytes, signatures: signatures) else { return refuseSignature(signatures) }
        if let refusal = body.contentTypeProblem(request) { return refusal }
        let notification: JSONValue
        do {
            notification = try JSONValue(parsing: bytes)
        } catch {
            return JSONResponse.error(.badRequest, "malformed_json", error.description)
        }
        let outcome: DocuSignOutcome
        do {
            outcome = try DocuSignConnect.outcome(of: notification, receivedAt: Date())
        } catch {
            logger.error("DocuSign notification cannot become an event", metadata: ["error": .string(error.description)])
            return JSONResponse.error(.unprocessableContent, "unusable_notification", error.description)
        }
        let event: CloudEvent
        switch outcome {
        case .ignore(let name):
            logger.info("DocuSign notification ignored", metadata: ["docusign_event": .string(String(name.prefix(80)))])
            return JSONResponse.make(.ok, ["ignored": .string(name)])
        case .publish(let mapped):
            do {
                // The same check as any incoming event: a field DocuSign filled oddly
                // (an e-mail address, a start date) is caught here, not in a worker's dead letters.
                event = try IncomingEvent.check(mapped.document, contracts: contracts)
            } catch {
                logger.error("DocuSign notification maps to an invalid event", metadata: ["error": .string(error.description)])
                let problems: [JSONValue] = error.problems.map { ["path": .string($0.path), "message": .string($0.message)] }
                return JSONResponse.error(
                    .unprocessableContent, error.reason.rawValue, "the notification maps to an invalid \(mapped.type) event",
                    extra: [("errors", .array(problems))])
            }
        }
        let publication = Publication(incoming: event, appID: "pilot-web", timestamp: UInt64(Date().timeIntervalSince1970))
        let metadata: Logger.Metadata = [
            "event_id": .string(event.id), "event_type": .string(event.type), "thread_id": .string(event.subject),
        ]
        do {
            try await publisher.publish(publication)
        } catch {
            logger.warning("DocuSign event not published", metadata: metadata.merging(["error": .string(String(describing: error))]) { $1 })
            return JSONResponse.error(.serviceUnavailable, "not_published", "the broker did not confirm the event")
        }
        logger.info("DocuSign event published", metadata: metadata)
        return JSONResponse.make(.ok, ["id": .string(event.id), "type": .string(event.type)])
    }
}

extension DocuSignRoute {
    private func refuseSignature(_ signatures: [String]) -> Response {
        logger.warning("DocuSign notification refused: missing or wrong signature", metadata: [
            "signatures": .stringConvertible(signatures.count)
        ])
        return JSONResponse.error(.unauthorized, "bad_signature", "missing or wrong X-DocuSign-Signature-N")
    }
}
