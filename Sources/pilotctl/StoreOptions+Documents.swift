import Foundation
import PilotObjectStore
import PilotRuntime

extension PilotCommand.StoreOptions {
    /// The documents' store the workers write: the workspace, or the bucket of
    /// `PILOT_DOCUMENTS` (the same factory as pilot-worker's).
    func documents() throws -> any DocumentStore {
        do {
            return try DocumentStoreFactory.make(workspace: URL(fileURLWithPath: workspace), syncFiles: false)
        } catch {
            throw OperatorError(String(describing: error))
        }
    }
}
