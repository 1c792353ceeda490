import PilotJSON
import Testing
@testable import PilotStages

/// The length a metrics report is checked against, read from the stored state: the
/// signature's `duration_days`, else (a state an older build stored) the request's terms,
/// else the contract's 30 days.
@Suite struct PilotLengthTests {
    @Test func theLengthComesFromTheStateThenTheTermsThenTheDefault() throws {
        let terms: JSONValue = ["duration_days": 14, "use_cases": [["title": "Sync", "description": "Nightly"]]]
        #expect(try PilotState.length(of: ["duration_days": 20, "request": ["terms": terms]]) == 20)
        #expect(try PilotState.length(of: ["request": ["terms": terms]]) == 14)
        #expect(try PilotState.length(of: ["request": ["terms": ["support_level": "async"]]]) == 30)
    }

    @Test func aStateWithoutItsRequestOrWithALengthOfAnotherTypeIsAnError() {
        #expect(throws: (any Error).self) { try PilotState.length(of: ["duration_days": 20]) }
        #expect(throws: (any Error).self) { try PilotState.length(of: ["duration_days": "twenty", "request": ["terms": [:]]]) }
    }
}
