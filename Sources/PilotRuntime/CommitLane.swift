import Foundation

/// A thread that runs one piece of work at a time for a consumer: its batches' commits,
/// so that while the disk flushes one batch (the documents, then the renames, then the
/// store's log) the consumer's thread plans the next one. Half of a monitoring
/// consumer's time went to waiting on those flushes.
///
/// One piece of work at most is ever handed over and not yet taken back: the consumer
/// submits, does something else, then waits for the result before submitting again.
final class CommitLane<Value: Sendable>: @unchecked Sendable {
    // @unchecked: every member below is read and written only with `condition` locked.
    private let condition = NSCondition()
    private var work: (@Sendable () -> Value)?
    private var result: Value?
    private var retired: (any Sendable)?
    private var closed = false

    init(name: String) {
        let thread = Thread { [self] in
            nameCurrentThread(name)
            loop()
        }
        thread.name = name
        thread.start()
    }

    /// Hands `work` to the lane's thread. The result of the work before must have been taken.
    ///
    /// `retired` is what the consumer is done with (the batch before): the lane lets go of
    /// it once the work's result is out, so that freeing it is not the consumer's time
    /// (about 4 % of an agreement consumer's samples, on the thread that bounds the stage).
    /// It costs memory: the batch lives through one more commit, and each worker's peak in
    /// a 10,000-pilot rehearsal went from 135 to 168–170 MiB. Freed before the work instead,
    /// the peak was 137 MiB but the rehearsal took 308.7 s against 284.1–286.1 s, the
    /// workers' CPU 366.3 s against 323.9–329.9 s.
    func submit(_ work: @escaping @Sendable () -> Value, releasing retired: consuming (any Sendable)? = nil) {
        condition.lock()
        defer { condition.unlock() }
        precondition(self.work == nil && result == nil && !closed, "the lane's previous work has not been taken back")
        self.work = work
        // Moved, not copied: a copy left with the caller could be the last one let go of.
        self.retired = consume retired
        condition.broadcast()
    }

    /// Whether the submitted work has finished (its result waits in `take()`).
    var isDone: Bool {
        condition.lock()
        defer { condition.unlock() }
        return result != nil
    }

    /// The submitted work's result, waiting for it to finish.
    func take() -> Value {
        condition.lock()
        defer { condition.unlock() }
        while result == nil { condition.wait() }
        defer { result = nil }
        return result!
    }

    /// Ends the thread once it is idle; work already submitted still runs.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while work == nil && !closed { condition.wait() }
            guard let next = work else {
                condition.unlock()
                return
            }
            condition.unlock()
            let value = next()
            condition.lock()
            work = nil
            result = value
            let retired = self.retired
            self.retired = nil
            condition.broadcast()
            condition.unlock()
            // Freed here, after the result is handed over and outside the lock.
            do { withExtendedLifetime(consume retired) {} }
        }
    }
}
