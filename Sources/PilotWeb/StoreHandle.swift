import Foundation
import PilotStore
import Synchronization

/// The pages' way to the store: opened on first use, and only if the SQLite file exists,
/// so pilot-web never creates an empty database where the workers keep theirs.
final class StoreHandle: Sendable {
    let location: DatabaseLocation
    private let opened = Mutex<(any PilotStore)?>(nil)

    init(location: DatabaseLocation) {
        self.location = location
    }

    /// A store that is already open (tests).
    init(store: any PilotStore) {
        self.location = .sqlite(path: "")
        opened.withLock { $0 = store }
    }

    /// Runs `body` on a consistent snapshot of the store.
    func read<T>(_ body: (any PilotStoreReader) throws -> T) throws -> T {
        try store().read(body)
    }

    private func store() throws -> any PilotStore {
        // Opened under the lock: the first burst of requests must not open (and migrate)
        // one store each.
        try opened.withLock { current in
            if let current { return current }
            if case .sqlite(let path) = location, !FileManager.default.fileExists(atPath: path) {
                throw PageError.unavailable("no pilot database at \(path) yet")
            }
            let store = try location.open()
            current = store
            return store
        }
    }
}
