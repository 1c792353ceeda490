import Testing

@testable import PilotRuntime

/// The retention variables as a manifest gives them.
@Suite struct StoreRetentionTests {
    @Test func anEmptyValueMeansTheDefault() throws {
        let retention = try StoreRetention(environment: ["PILOT_OUTBOX_RETENTION": "", "PILOT_INBOX_RETENTION": ""])
        #expect(retention.outbox == StoreRetention().outbox)
        #expect(retention.inbox == StoreRetention().inbox)
    }

    @Test func aValueWithAUnitIsRead() throws {
        let retention = try StoreRetention(environment: ["PILOT_OUTBOX_RETENTION": "36h", "PILOT_INBOX_RETENTION": "90d"])
        #expect(retention.outbox == .seconds(36 * 3600))
        #expect(retention.inbox == .seconds(90 * 86_400))
    }

    @Test(arguments: ["7", "-1d", "1y", " "])
    func anythingElseIsRefusedNamingTheVariable(_ value: String) {
        #expect { try StoreRetention(environment: ["PILOT_OUTBOX_RETENTION": value]) } throws: {
            String(describing: $0).contains("PILOT_OUTBOX_RETENTION")
        }
    }
}
