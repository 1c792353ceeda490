extension PilotSnapshot {
    /// The snapshot as the next event of the same pilot in the batch must see it: what
    /// the store will hold once `outcome` is committed.
    public mutating func apply(_ outcome: StageOutcome, thread: String) {
        if let update = outcome.pilot {
            pilot = Pilot(stage: update.stage, status: update.status, state: update.state, version: pilot?.version ?? 0)
        }
        for record in outcome.records {
            switch record {
            case .metrics(let day, let data, _):
                metrics.removeAll { $0.day == day }
                metrics.append(DayMetrics(day: day, data: data))
                metrics.sort { $0.day < $1.day }
            case .issue(let id, _, let data, _):
                issues.removeAll { $0.id == id }
                issues.append(Issue(id: id, data: data))
                issues.sort { $0.id < $1.id }
            case .feedback(let data, _):
                feedback.append(data)
            }
        }
        let folder = Document.threadsFolder + "/\(thread)/"
        for document in outcome.documents where document.path.hasPrefix(folder) {
            documents[String(document.path.dropFirst(folder.count))] = document.bytes
        }
    }
}
