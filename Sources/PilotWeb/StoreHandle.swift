import Foundation
import PilotStore
import Synchronization

/// The pages' way to the store: opened on first use, and only if the database exists,
/// so pilot-web never creates an empty database where the workers keep theirs.
final class StoreHandle: Sendable {
    let path: String
    private let opened = Mutex<(any PilotStore)?>(nil)

    init(path: String) {
        self.path = path
    }

    /// A store that is already open (tests, another backend).
    init(store: any PilotStore, path: String = "") {
        self.path = path
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
            guard FileManager.default.fileExists(atPath: path) else {
                throw PageError.unavailable("no pilot database at \(path) yet")
            }
            let store = try SQLitePilotStore(path: path)
            current = store
            return store
        }
    }
}
