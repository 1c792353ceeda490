import Foundation
import Synchronization
import Testing

@testable import PilotRuntime

@Suite struct ThreadNamingTests {
    /// The name the kernel keeps for a thread that named itself `name`.
    func kernelName(after name: String) -> String? {
        let seen = Mutex<String?>(nil)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            nameCurrentThread(name)
            let current = currentThreadName()
            seen.withLock { $0 = current }
            done.signal()
        }
        thread.start()
        done.wait()
        return seen.withLock { $0 }
    }

    @Test func consumersAreNamedByStageWithinTheKernelsFifteenBytes() {
        #expect(kernelName(after: "pilot-next-action-0") == "next-action-0")
        #expect(kernelName(after: "commit:monitoring") == "commit:monitori")
        #expect(kernelName(after: "relay") == "relay")
    }
}
