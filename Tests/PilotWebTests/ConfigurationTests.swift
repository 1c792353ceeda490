import Testing
@testable import PilotWeb

@Suite struct ConfigurationTests {
    @Test func defaultsAreTheDocumentedOnes() throws {
        let configuration = try WebConfiguration()
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.port == 8080)
        #expect(configuration.token == nil)
        #expect(configuration.docuSignKeys.isEmpty)
        #expect(configuration.maxBodyBytes == 1 << 20)
        #expect(configuration.amqpURL.host == "127.0.0.1")
        #expect(configuration.confirmTimeout == .seconds(10))
    }

    @Test func severalHMACKeysAreReadForRotation() throws {
        let configuration = try WebConfiguration(docuSignHMACKeys: " new-key= , old-key ,,")
        #expect(configuration.docuSignKeys == ["new-key=", "old-key"])
    }

    @Test(arguments: [
        (["port": "0"], "--port [PILOT_WEB_PORT]"),
        (["port": "http"], "--port [PILOT_WEB_PORT]"),
        (["token": "short"], "--token [PILOT_WEB_TOKEN] must be at least 16 characters"),
        (["max": "12"], "--max-body-bytes [PILOT_WEB_MAX_BODY_BYTES]"),
        (["amqp": "http://x"], "--amqp-url [PILOT_AMQP_URL]"),
        (["publishers": "0"], "--publishers [PILOT_WEB_PUBLISHERS]"),
        (["confirm": "-1"], "--confirm-timeout [PILOT_WEB_CONFIRM_TIMEOUT]"),
        (["host": ""], "--host [PILOT_WEB_HOST]"),
    ])
    func aWrongValueNamesItsFlagAndVariable(values: [String: String], expected: String) {
        do {
            _ = try WebConfiguration(
                host: values["host"] ?? "0.0.0.0", port: values["port"] ?? "8080", token: values["token"] ?? "",
                amqpURL: values["amqp"] ?? "amqp://guest:guest@127.0.0.1:5672/%2f",
                maxBodyBytes: values["max"] ?? "1048576", publishers: values["publishers"] ?? "2",
                confirmTimeout: values["confirm"] ?? "10")
            Issue.record("accepted \(values)")
        } catch {
            #expect(error.description.contains(expected), "\(error)")
        }
    }

    @Test func aPostgresURLIsTakenAndPrintedWithoutItsPassword() throws {
        let configuration = try WebConfiguration(token: "a-token-of-at-least-16", database: "postgres://pilot:s3cret@db/pilots")
        #expect(configuration.databaseLocation == .postgres(url: "postgres://pilot:s3cret@db/pilots"))
        #expect(configuration.database == "postgres://pilot:***@db/pilots")
    }

    @Test func aDatabaseURLIsRefusedWithoutItsPassword() {
        let error = #expect(throws: ConfigurationError.self) {
            _ = try WebConfiguration(token: "a-token-of-at-least-16", database: "mysql://pilot:s3cret@db/pilots")
        }
        #expect(error?.description.contains("mysql:// databases are not supported") == true)
        #expect(error?.description.contains("s3cret") == false)
    }

    @Test func theNodesOfAClusterAreReadInOrder() throws {
        let configuration = try WebConfiguration(amqpURL: "amqp://u:p@127.0.0.1:5801/%2f, amqp://u:p@127.0.0.1:5802/%2f")
        #expect(configuration.broker.urls.map(\.port) == [5801, 5802])
        #expect(configuration.amqpURL.port == 5801)
        #expect(configuration.broker.description == "amqp://u:***@127.0.0.1:5801/%2f,amqp://u:***@127.0.0.1:5802/%2f")
        #expect(throws: ConfigurationError.self) { _ = try WebConfiguration(amqpURL: "amqp://127.0.0.1:5801/%2f,,") }
    }

    @Test func aBadBrokerURLIsReportedWithoutItsPassword() {
        do {
            _ = try WebConfiguration(amqpURL: "amqp://pilot:s3cret-pass@host:notaport/x")
            Issue.record("accepted")
        } catch {
            #expect(!error.description.contains("s3cret-pass"), "\(error)")
        }
    }
}
