/// A semaphore of one, first come first served.
public actor Turns {
    private var held = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    public init() {}

    /// Runs `body` once every earlier caller's has ended, thrown or not.
    public nonisolated func run(_ body: () async throws -> Void) async throws {
        await enter()
        do {
            try await body()
            await leave()
        } catch {
            await leave()
            throw error
        }
    }

    private func enter() async {
        guard held else {
            held = true
            return
        }
        // `leave` hands the turn over: the resumed waiter holds it.
        await withCheckedContinuation { waiting.append($0) }
    }

    private func leave() {
        if waiting.isEmpty { held = false } else { waiting.removeFirst().resume() }
    }
}
