// libFuzzer target over the path every message body takes in
// `DeliveryProcessor.process`: JSON parsing (checked against an independent parser,
// ReferenceJSON.swift), the CloudEvents envelope, the schema check, and decoding into
// the typed event structs, plus the JSON round trip.
//
// Built by `Fuzzing/build.sh` (every file of Fuzzing/Sources) with
// `-sanitize=fuzzer,address -parse-as-library`; libFuzzer provides `main`. A broken
// property is reported with `fatalError`, which libFuzzer records as a crash, saving the input.
import Contracts
import Foundation
import Logging
import PilotAMQP
import PilotDomain
import PilotJSON
import PilotRuntime
import PilotStageAPI

/// The repository's schemas: `PILOT_SCHEMAS`, else `schemas/` next to `Fuzzing/`.
let contracts: Contracts = {
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let fallback = repository.appendingPathComponent("schemas").path
    let explicit = ProcessInfo.processInfo.environment["PILOT_SCHEMAS"] ?? fallback
    do {
        return try Contracts.load(explicit: explicit)
    } catch {
        fatalError("fuzz-envelope: cannot load the schemas from \(explicit): \(error)")
    }
}()

/// The stages' processors as a worker builds them, minus the store, with a handler that
/// answers every event with one `pilot.echoed` (so the outbound check runs too).
let processors: [String: DeliveryProcessor] = {
    var processors: [String: DeliveryProcessor] = [:]
    for stage in Stage.all {
        let processor = DeliveryProcessor(stage: stage, definition: answer(stage), contracts: contracts)
        for type in stage.routingKeys { processors[type] = processor }
    }
    return processors
}()
let logger = Logger(label: "fuzz-envelope") { _ in SwiftLogNoOpLogHandler() }
/// `FUZZ_VERBOSE=1`: one line per input saying how far it got (to check the seeds reach deep).
let verbose = ProcessInfo.processInfo.environment["FUZZ_VERBOSE"] != nil

/// Like `EchoStage`, without its controls (a fuzzed `echodelayms` would only sleep).
func answer(_ stage: Stage) -> StageDefinition {
    StageDefinition(stage.name) { definition in
        for type in stage.routingKeys {
            definition.on(type, raw: { event, _, context in
                let data: JSONValue = ["echo_of": .string(event.type), "stage": .string(context.stage), "attempt": 1]
                return StageOutcome(events: [context.derived("pilot.echoed", from: event, data: data)])
            })
        }
    }
}

/// What a broken property looks like in the fuzzer's log, before the trap.
func fail(_ what: String, _ input: UnsafeRawBufferPointer) -> Never {
    let shown = String(decoding: input.prefix(400), as: UTF8.self)
    fatalError("fuzz-envelope: \(what)\ninput (\(input.count) bytes, first 400 shown): \(shown)")
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    // Compile the schemas once, before the first input, so their cost is not charged
    // to it (and a missing folder fails at once).
    _ = processors.count
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)

    // 1. Parsing, as `DeliveryProcessor` does; the error text goes to the dead letter.
    //    It must accept exactly what the independent reference parser accepts, with
    //    the same value: nothing silently cut, clamped or replaced.
    let parsed: Result<JSONValue, JSONParseError> = Result { () throws(JSONParseError) in try JSONValue(parsing: input) }
    let reference = ReferenceJSON.parse(input)
    // The runtime reads bodies in place (`ParsedJSON`): it must refuse exactly what the
    // Swift tree's parse refuses, for the same reason, and hold the same value.
    let inPlace = Result { () throws(JSONParseError) in try ParsedJSON(parsing: input) }
    switch (parsed, inPlace) {
    case (.failure(let tree), .failure(let place)):
        guard tree.description == place.description else {
            fail("ParsedJSON refuses with \"\(place)\", JSONValue(parsing:) with \"\(tree)\"", input)
        }
    case (.success(let value), .success(let place)):
        guard place.value == value else {
            fail("ParsedJSON holds \(place.value.serialized()), JSONValue(parsing:) reads \(value.serialized())", input)
        }
    case (.failure(let tree), .success):
        fail("ParsedJSON accepts what JSONValue(parsing:) refuses: \(tree)", input)
    case (.success, .failure(let place)):
        fail("ParsedJSON refuses what JSONValue(parsing:) reads: \(place)", input)
    }
    let document: JSONValue
    switch (parsed, reference) {
    case (.failure(let error), nil):
        _ = error.description
        deliver(input, type: nil, contentType: nil)
        return 0
    case (.failure(let error), .some(let expected)):
        fail("JSONValue(parsing:) refuses a document the reference parser reads as \(expected.description): \(error)", input)
    case (.success(let value), nil):
        fail("JSONValue(parsing:) accepts what the reference parser refuses, reading \(value.serialized())", input)
    case (.success(let value), .some(let expected)):
        guard expected.matches(value) else {
            fail("JSONValue(parsing:) reads \(value.serialized()), the reference parser \(expected.description)", input)
        }
        document = value
    }

    // 2. Round trip: what we serialise must parse back to an equal value, and
    //    serialising that again must give the same bytes.
    let serialized = document.serializedBytes()
    let reparsed: JSONValue
    do {
        reparsed = try JSONValue(parsing: serialized)
    } catch {
        fail("round trip: the serialized form \(String(decoding: serialized.prefix(400), as: UTF8.self)) does not parse: \(error)", input)
    }
    guard reparsed == document else {
        fail("round trip: parse → serialize → parse changed the value; serialized: \(String(decoding: serialized.prefix(400), as: UTF8.self))", input)
    }
    let again = reparsed.serializedBytes()
    guard again == serialized else {
        fail("round trip: serializing twice differs: \(String(decoding: serialized.prefix(200), as: UTF8.self)) vs \(String(decoding: again.prefix(200), as: UTF8.self))", input)
    }
    guard reparsed.hashValue == document.hashValue else {
        fail("round trip: equal values hash differently", input)
    }

    // 3. The envelope the runtime reads itself.
    let event: CloudEvent?
    do {
        event = try CloudEvent(document: document)
    } catch {
        _ = error.description
        event = nil
    }
    // The envelope read in place must say the same, or be refused for the same reason.
    if case .success(let place) = inPlace {
        func envelope(_ read: () throws(EnvelopeError) -> CloudEvent) -> String {
            do {
                let event = try read()
                return [event.id, event.source, event.type, event.subject, event.time, event.causationID ?? "-"]
                    .joined(separator: " | ")
            } catch {
                return "refused: \(error)"
            }
        }
        let tree = envelope { () throws(EnvelopeError) in try CloudEvent(document: document) }
        let read = envelope { () throws(EnvelopeError) in try CloudEvent(parsed: place) }
        guard read == tree else { fail("CloudEvent(parsed:) says \(read), CloudEvent(document:) \(tree)", input) }
    }
    if let event {
        _ = ThreadID.quoted(event.subject)
        _ = EventTime.date(event.time)
    }

    // 4. The contract check; its messages go into `x-error-detail`.
    var valid = false
    do {
        try contracts.validate(event: document)
        valid = true
    } catch {
        _ = error.description
        _ = error.reasonCode
        for failure in error.errors { _ = failure.message }
    }
    // Validated in place (the flat program over json-c's tree), the verdict and the
    // reason must be the tree's.
    if case .success(let place) = inPlace {
        func verdict(_ validate: () throws(ContractViolation) -> Void) -> String {
            do {
                try validate()
                return "valid"
            } catch {
                return error.reasonCode + ": " + error.errors.map(\.message).joined(separator: "; ")
            }
        }
        let read = verdict { () throws(ContractViolation) in try contracts.validate(event: place) }
        let expected = verdict { () throws(ContractViolation) in try contracts.validate(event: document) }
        guard read == expected else {
            fail("validated in place: \(read); as a Swift tree: \(expected)", input)
        }
    }
    // The envelope schema is stricter than `CloudEvent(document:)`: what it accepts, the
    // runtime must be able to read.
    if valid, event == nil {
        fail("a schema-valid event is refused by CloudEvent(document:)", input)
    }

    // 5. The whole of `DeliveryProcessor.process` (no store): routing, the dead letter or
    //    the handler's event and its own contract check. The AMQP content_type is checked
    //    before the body is read; the envelope's content type, the nearest thing the body
    //    carries, stands in for it.
    deliver(input, type: document["type"]?.string, contentType: document["datacontenttype"]?.string)

    // 6. Decoding into the typed structs. For a schema-valid event a failure is a
    //    bug in the worker's types (the stage would retry it, then dead-letter it).
    let type = document["type"]?.string ?? ""
    let payload = document["data"] ?? .null
    do {
        try decode(type: type, payload)
        if verbose { print("fuzz-envelope: \(type) data decodes (schema-valid: \(valid))") }
    } catch {
        _ = String(describing: error)
        if valid { fail("schema-valid \(type) data does not decode: \(error)", input) }
    }
    return 0
}

/// Decodes `data` as the struct for `type`, as the stage handlers do, and encodes it
/// back: what a struct decoded from must encode again.
func decode(type: String, _ data: JSONValue) throws {
    switch type {
    case "pilot.requested": try check(PilotRequest.self, data)
    case "pilot.agreement.generated": try check(AgreementGenerated.self, data)
    case "pilot.kickoff.scheduled": try check(KickoffScheduled.self, data)
    case "pilot.signed": try check(PilotSigned.self, data)
    case "pilot.declined": try check(PilotDeclined.self, data)
    case "pilot.metrics": try check(PilotMetrics.self, data)
    case "pilot.issue": try check(PilotIssue.self, data)
    case "pilot.feedback": try check(PilotFeedback.self, data)
    case "pilot.completed": try check(PilotOutcome.self, data)
    default:
        // Other types have no struct; still run the decoder over their data.
        _ = try? JSONValueDecoder().decode(PilotRequest.self, from: data)
    }
}

func check<T: Codable & Equatable>(_ type: T.Type, _ data: JSONValue) throws {
    let value = try JSONValueDecoder().decode(T.self, from: data)
    let encoded = try JSONValueEncoder().encode(value)
    let back = try JSONValueDecoder().decode(T.self, from: encoded)
    guard back == value else {
        fatalError("fuzz-envelope: \(T.self) changed through encode → decode: \(value) vs \(back)")
    }
}

/// Runs one delivery through the processor of the stage that takes `type` (else agreement's).
func deliver(_ input: UnsafeRawBufferPointer, type: String?, contentType: String?) {
    let delivery = AMQPDelivery(
        deliveryTag: 1, redelivered: false, exchange: "pilot.events", routingKey: type ?? "pilot.requested",
        properties: AMQPProperties(contentType: contentType), body: Array(input))
    let processor = type.flatMap { processors[$0] } ?? processors["pilot.requested"]!
    let result = processor.process(delivery, logger: logger)
    let (verdict, publications) = (result.verdict, result.publications)
    if verbose { print("fuzz-envelope: \(type ?? "(no type)") -> \(verdict)") }
    switch verdict {
    case .handled(let events):
        guard events == 1, publications.count == 1 else { fatalError("fuzz-envelope: handled, but \(publications.count) publications") }
    case .dead:
        guard publications.count == 1 else { fatalError("fuzz-envelope: dead-lettered, but \(publications.count) publications") }
    case .retry, .duplicate:
        fatalError("fuzz-envelope: unexpected verdict \(verdict) without a store and with a handler that cannot fail")
    }
}
