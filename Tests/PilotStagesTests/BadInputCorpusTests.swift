import Foundation
import PilotAMQP
import PilotJSON
import PilotRuntime
import PilotStageAPI
import PilotTestKit
import Testing

/// Hostile and broken input interleaved with valid pilots, against one real worker with
/// every stage: each bad message ends in its stage's `.dead` queue with a reason and a
/// detail naming its fault, every valid pilot gets its agreement and kickoff, the worker
/// never stops, and nothing is written outside `threads/sales/`.
@Suite struct BadInputCorpusTests {
    /// One kind of bad input: the bytes, how they travel, and what the dead letter must say.
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var body: [UInt8]
        var routingKey = "pilot.requested"
        var contentType = "application/cloudevents+json"
        var reason: String
        /// A phrase of `x-error-detail` that names the fault.
        var detail: String
        var description: String { name }
    }

    static let maxBodyBytes = 65_536

    /// A valid `pilot.requested` with `edit` applied to its JSON object.
    static func request(_ id: String, subject: String = "acme-bad", edit: (inout JSONObject) -> Void = { _ in }) -> [UInt8] {
        var object = TestEvents.request(subject: subject, id: id).document.object!
        edit(&object)
        return JSONValue.object(object).serializedBytes()
    }

    static func event(_ type: String, _ id: String, subject: String, data: JSONValue) -> [UInt8] {
        TestEvents.make(type: type, subject: subject, id: id, data: data).document.serializedBytes()
    }

    /// `data.<path>` of the sample request replaced by `value`.
    static func requestWith(_ id: String, _ path: [String], _ value: JSONValue) -> [UInt8] {
        request(id) { object in
            func set(_ node: JSONValue, _ path: ArraySlice<String>) -> JSONValue {
                guard let key = path.first else { return value }
                if var array = node.array, let index = Int(key) {
                    array[index] = set(array[index], path.dropFirst())
                    return .array(array)
                }
                var inner = node.object ?? JSONObject()
                inner[key] = set(inner[key] ?? .null, path.dropFirst())
                return .object(inner)
            }
            object["data"] = set(object["data"]!, path[...])
        }
    }

    static let cases: [Case] = {
        let valid = request("template")
        let text = String(decoding: valid, as: UTF8.self)
        func replacing(_ id: String, _ old: String, _ new: String) -> [UInt8] {
            Array(String(decoding: request(id), as: UTF8.self).replacingOccurrences(of: old, with: new).utf8)
        }
        let deep = "{\"specversion\":\"1.0\",\"data\":" + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "}"
        var invalidUTF8 = request("bad-utf8") { $0["source"] = "/crm/XX" }
        let marker = Array("XX".utf8)
        if let at = (0..<invalidUTF8.count - 1).first(where: { Array(invalidUTF8[$0...($0 + 1)]) == marker }) {
            invalidUTF8.replaceSubrange(at...(at + 1), with: [0xC3, 0x28])
        }
        return [
            Case(name: "not JSON", body: Array("hello, pilot".utf8), reason: "malformed_json", detail: "invalid JSON at byte 0"),
            Case(name: "empty body", body: [], reason: "malformed_json", detail: "empty document"),
            Case(name: "truncated", body: Array(valid.prefix(valid.count / 2)), reason: "malformed_json", detail: "unexpected end of"),
            Case(name: "NaN", body: replacing("nan", "\"expected_improvement_pct\":30", "\"expected_improvement_pct\":NaN"),
                 reason: "malformed_json", detail: "'N' outside a string"),
            Case(name: "Infinity", body: replacing("inf", "\"roi_target_pct\":150", "\"roi_target_pct\":-Infinity"),
                 reason: "malformed_json", detail: "minus sign followed by 'I'"),
            Case(name: "number beyond double", body: replacing("huge", "\"roi_target_pct\":150", "\"roi_target_pct\":1e400"),
                 reason: "malformed_json", detail: "number too large"),
            Case(name: "duplicate keys", body: Array(("{\"id\":\"dup-a\"," + text.dropFirst()).utf8),
                 reason: "malformed_json", detail: "duplicate key in the top-level object"),
            Case(name: "invalid UTF-8", body: invalidUTF8, reason: "malformed_json", detail: "invalid JSON"),
            Case(name: "deeply nested arrays", body: Array(deep.utf8), reason: "malformed_json", detail: "nesting deeper than 64"),
            Case(name: "over the size limit", body: requestWith("big", ["qualification", "pain_points", "0"], .string(String(repeating: "x", count: maxBodyBytes))),
                 reason: "too_large", detail: "exceeds the limit of \(maxBodyBytes) bytes"),
            Case(name: "wrong content type", body: request("ctype"), contentType: "text/plain", reason: "unsupported_content_type",
                 detail: "\"text/plain\" is not JSON"),
            Case(name: "not UTF-8 charset", body: request("latin1"), contentType: "application/json; charset=iso-8859-1",
                 reason: "unsupported_content_type", detail: "iso-8859-1 is not UTF-8"),
            Case(name: "top-level array", body: Array("[1,2,3]".utf8), reason: "invalid_envelope", detail: "not a JSON object"),
            Case(name: "wrong specversion", body: request("spec03") { $0["specversion"] = "0.3" },
                 reason: "invalid_envelope", detail: "specversion \"0.3\""),
            Case(name: "missing id", body: request("no-id") { $0["id"] = nil }, reason: "invalid_envelope", detail: "missing \"id\""),
            Case(name: "unknown type", body: request("teleport") { $0["type"] = "pilot.teleported" },
                 reason: "unknown_type", detail: "\"pilot.teleported\" is not handled"),
            Case(name: "thread id with ..", body: request("dots", subject: "acme..etc"), reason: "invalid_envelope", detail: "not a valid thread id"),
            Case(name: "thread id with /", body: request("slash", subject: "acme/../../etc"), reason: "invalid_envelope", detail: "not a valid thread id"),
            Case(name: "thread id with NUL", body: request("nul", subject: "acme\u{0}x"), reason: "invalid_envelope", detail: "not a valid thread id"),
            Case(name: "thread id of 500 characters", body: request("long", subject: String(repeating: "a", count: 500)),
                 reason: "invalid_envelope", detail: "not a valid thread id"),
            Case(name: "wrong type of a field", body: requestWith("types", ["terms", "duration_days"], "thirty"),
                 reason: "schema_violation", detail: "/data/terms/duration_days"),
            Case(name: "missing field", body: request("no-lead") { object in
                var data = object["data"]!.object!
                data["lead"] = nil
                object["data"] = .object(data)
            }, reason: "schema_violation", detail: "lead"),
            Case(name: "CR/LF in a contact name", body: requestWith("crlf-name", ["lead", "contacts", "0", "name"], "Dana\r\nBcc: everyone@example.com"),
                 reason: "schema_violation", detail: "/data/lead/contacts/0/name"),
            Case(name: "CR/LF in the company name (e-mail subjects)", body: requestWith("crlf-company", ["lead", "company", "name"], "Acme\r\nSubject: free money"),
                 reason: "schema_violation", detail: "/data/lead/company/name"),
            Case(name: "time that is not RFC 3339", body: request("when") { $0["time"] = "yesterday" },
                 reason: "schema_violation", detail: "/time"),
            Case(name: "unknown pilot", body: event("pilot.signed", "sig-ghost", subject: "ghost-pilot", data: PreparationFlowTests.signed("ghost-pilot", id: "x").document["data"]!),
                 routingKey: "pilot.signed", reason: "wrong_state", detail: "no pilot for thread ghost-pilot"),
            Case(name: "wrong state", body: event("pilot.results.requested", "results-early", subject: "valid-0", data: ["period_end": "2026-12-31T05:00:00Z", "days": 30]),
                 routingKey: "pilot.results.requested", reason: "wrong_state", detail: "need an active pilot"),
            Case(name: "out-of-range day", body: event("pilot.metrics", "metrics-day-25", subject: "valid-short", data: ["day": 25, "technical": ["uptime_pct": 99.9]]),
                 routingKey: "pilot.metrics", reason: "day_out_of_range", detail: "metrics for day 25 of a 14-day pilot"),
        ]
    }()

    /// Stage queue of each routing key used above.
    static func deadQueue(for routingKey: String) -> String {
        let stage = Stage.all.first { $0.routingKeys.contains(routingKey) }!
        return stage.deadQueue
    }

    @Test(.live, .timeLimit(.minutes(3))) func everyBadMessageIsDeadLetteredForItsFaultAndTheValidOnesComplete() async throws {
        let vhost = try await TestBroker.shared.makeVirtualHost("corpus")
        defer { Task { await vhost.delete() } }
        let probe = try QueueProbe(url: vhost.url)
        try probe.tap("tap.kickoff", routingKeys: ["pilot.kickoff.scheduled"])
        let worker = try WorkerProcess(environment: [
            "PILOT_AMQP_URL": vhost.url, "PILOT_WORKSPACE": vhost.workspace.path,
            "PILOT_MAX_BODY_BYTES": String(Self.maxBodyBytes), "PILOT_RETRY_DELAYS": "200ms",
        ])
        defer { Task { await worker.terminate() } }
        let pid = worker.pid

        // A 14-day pilot, signed, for the out-of-range day; the other valid pilots go between the bad messages.
        var short = TestEvents.request(subject: "valid-short", id: "req-short").document.object!
        var data = short["data"]!.object!
        var terms = data["terms"]!.object!
        terms["duration_days"] = 14
        data["terms"] = .object(terms)
        short["data"] = .object(data)
        try probe.publish(try CloudEvent(document: .object(short)))
        #expect(try await probe.take(1, from: "tap.kickoff").count == 1)
        try probe.publish(PreparationFlowTests.signed("valid-short", id: "sig-short"))

        var valid: [String] = []
        for (index, bad) in Self.cases.enumerated() {
            try probe.connection.publish(
                exchange: Topology.exchange, routingKey: bad.routingKey,
                properties: AMQPProperties(contentType: bad.contentType, messageID: "bad-\(index)"), body: bad.body)
            if index % 3 == 0 {
                let thread = "valid-\(index / 3)"
                valid.append(thread)
                try probe.publish(TestEvents.request(subject: thread, id: "req-\(thread)"))
            }
        }
        try probe.connection.waitForConfirms()
        #expect(Self.cases.count >= 20)

        // Every bad message in its stage's dead queue, found by message id.
        var dead: [String: AMQPDelivery] = [:]
        let queues = Set(Self.cases.map { Self.deadQueue(for: $0.routingKey) })
        try await waitUntil("a dead letter for each of the \(Self.cases.count) bad messages", timeout: .seconds(60), interval: .milliseconds(200)) {
            for queue in queues {
                for delivery in try probe.takeReady(upTo: 100, from: queue) {
                    dead[delivery.properties.messageID ?? "?"] = delivery
                }
            }
            return dead.count >= Self.cases.count
        }
        for (index, bad) in Self.cases.enumerated() {
            let letter = try #require(dead["bad-\(index)"], "\(bad.name) reached \(Self.deadQueue(for: bad.routingKey))")
            let reason = letter.properties.header(Header.errorReason)?.stringValue
            let detail = letter.properties.header(Header.errorDetail)?.stringValue ?? ""
            #expect(reason == bad.reason, "\(bad.name): \(detail)")
            #expect(detail.contains(bad.detail), "\(bad.name): \(detail)")
            #expect(letter.body == bad.body, "\(bad.name): the dead letter keeps the original bytes")
        }

        let scheduled = try await probe.take(valid.count, from: "tap.kickoff")
        let threads = Set(scheduled.compactMap { try? JSONValue(parsing: $0.body)["subject"]?.string })
        #expect(threads == Set(valid))
        #expect(worker.isRunning && worker.pid == pid)

        // Only threads/sales/<valid thread>/ and the store's own folder were written.
        let root = vhost.workspace.standardizedFileURL.path
        let enumerator = FileManager.default.enumerator(atPath: root)
        var strays: [String] = []
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            let allowed = path.hasPrefix(".pilot/")
                || (valid + ["valid-short"]).contains { path.hasPrefix("threads/sales/\($0)/") }
            if !allowed { strays.append(path) }
        }
        #expect(strays.isEmpty, "written outside threads/sales/<valid thread>/: \(strays)")
    }
}
