import Contracts
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PilotJSON
import PilotTestKit
@testable import PilotWeb

enum Fixtures {
    static let token = "test-token-0123456789abcdef"
    static let key = "9Ws7kYbR0mZ8v2Qx+LpT4nHc6uJd1eFg3aIoKsNl5yE="
    static let rotatedKey = "older-key-still-active-during-rotation"

    static func configuration(
        amqpURL: String, maxBodyBytes: Int = 4096, keys: [String] = [key], publishers: Int = 2
    ) throws -> WebConfiguration {
        try WebConfiguration(
            host: "127.0.0.1", port: String(freeLoopbackPort()), token: token,
            docuSignHMACKeys: keys.joined(separator: ","), amqpURL: amqpURL, maxBodyBytes: String(maxBodyBytes),
            publishers: String(publishers), confirmTimeout: "5")
    }

    static var logger: Logger {
        var logger = Logger(label: "pilot-web-test")
        logger.logLevel = .warning
        return logger
    }

    /// A broker URL where nothing listens: the failure paths never reach a broker.
    static var nowhere: String { "amqp://guest:guest@127.0.0.1:\(freeLoopbackPort())/%2f" }

    static func app(amqpURL: String = nowhere, maxBodyBytes: Int = 4096, keys: [String] = [key], publishers: Int = 2) throws
        -> Application<RouterResponder<BasicRequestContext>>
    {
        PilotWebApplication.make(
            configuration: try configuration(amqpURL: amqpURL, maxBodyBytes: maxBodyBytes, keys: keys, publishers: publishers),
            contracts: TestEvents.contracts, logger: logger)
    }

    /// A valid `pilot.signed` as an upstream system would post it.
    static func signedEvent(id: String = UUID().uuidString, subject: String = "acme-2026-11") -> JSONValue {
        TestEvents.make(
            type: "pilot.signed", subject: subject, id: id,
            data: [
                "signed_at": "2026-11-28T14:00:00Z", "signed_by": ["name": "Dana Whitfield", "email": "dana@acme.example"],
                "method": "email", "start_date": "2026-12-01",
            ]
        ).document
    }

    /// A DocuSign Connect JSON notification (the shape Connect v2.1 sends).
    static func notification(
        event: String = "envelope-completed", envelopeID: String = "4f1e2d3c-0000-4000-8000-00000000abcd",
        thread: String? = "acme-2026-11", startDate: String? = "2026-12-01",
        declinedReason: String? = nil, voidedReason: String? = nil
    ) -> [UInt8] {
        var fields: [JSONValue] = [["fieldId": "1", "name": "note", "show": "false", "value": "ignored"]]
        if let thread { fields.append(["fieldId": "2", "name": "thread_id", "show": "false", "value": .string(thread)]) }
        if let startDate { fields.append(["fieldId": "3", "name": "start_date", "show": "false", "value": .string(startDate)]) }
        var signer = JSONObject([
            ("name", "Dana Whitfield"), ("email", "dana@acme.example"), ("routingOrder", "1"), ("recipientId", "1"),
            ("status", .string(event == "envelope-declined" ? "declined" : "completed")),
        ] as [(String, JSONValue)])
        if let declinedReason {
            signer["declinedReason"] = .string(declinedReason)
            signer["declinedDateTime"] = "2026-11-29T10:15:00.1230000Z"
        }
        var summary = JSONObject([
            ("status", .string(event.replacingOccurrences(of: "envelope-", with: ""))),
            ("emailSubject", "Pilot agreement"),
            ("completedDateTime", "2026-11-28T14:59:58.5530000Z"),
            ("statusChangedDateTime", "2026-11-29T10:15:00.1230000Z"),
            ("recipients", [
                "signers": [
                    ["name": "Second Signer", "email": "founder@pilot.example", "routingOrder": "2", "status": "completed"],
                    .object(signer),
                ]
            ]),
            ("customFields", ["textCustomFields": .array(fields)]),
        ] as [(String, JSONValue)])
        if let voidedReason {
            summary["voidedReason"] = .string(voidedReason)
            summary["voidedDateTime"] = "2026-11-29T11:00:00.0000000Z"
        }
        let document: JSONValue = [
            "event": .string(event), "apiVersion": "v2.1", "uri": .string("/restapi/v2.1/accounts/1/envelopes/\(envelopeID)"),
            "retryCount": 0, "configurationId": 10_001, "generatedDateTime": "2026-11-29T12:00:00.0000000Z",
            "data": ["accountId": "1", "userId": "2", "envelopeId": .string(envelopeID), "envelopeSummary": .object(summary)],
        ]
        return document.serializedBytes()
    }

    /// The signature DocuSign would send, computed by Python's hmac, not by pilot-web.
    static func pythonSignature(_ body: [UInt8], key: String) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("docusign-body-\(UUID().uuidString)")
        try Data(body).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = packageRoot.appendingPathComponent("Tests/PilotWebTests/python/docusign_sign.py").path
        return try shell(["python3", script, key, file.path]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func headers(_ pairs: [(String, String)]) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in pairs { fields.append(HTTPFields.Element(name: HTTPFields.Element.Name(name)!, value: value)) }
        return fields
    }

    static var eventHeaders: HTTPFields {
        headers([("Authorization", "Bearer \(token)"), ("Content-Type", "application/cloudevents+json")])
    }
}

extension TestResponse {
    var json: JSONValue? { try? JSONValue(parsing: String(buffer: body)) }
}
