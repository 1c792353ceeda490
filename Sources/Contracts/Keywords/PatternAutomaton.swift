/// The fastest path for `pattern`: the parsed pattern of a `BacktrackingMatcher`
/// compiled once into a deterministic automaton over ASCII, so that matching an
/// ASCII string is one table lookup per byte, without backtracking, recursion
/// or allocation. `^[^\r\n]*$`, `^[A-Z]{3}$`, `^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`,
/// host names, dotted type names, dates: every pattern of our schemas fits.
///
/// Whether a string holds a match does not depend on which match a
/// backtracking engine would pick, so the automaton answers exactly what
/// `BacktrackingMatcher` and `Regex` answer (the tests compare them). It
/// knows ASCII only: a string with any other byte gets `nil`, and `Pattern`
/// asks the backtracking matcher as before. Patterns whose automaton would be
/// too big (`a{1000}`, nested counted repetitions) get no automaton at all.
///
/// Built as usual: a Thompson NFA (classes, forks, the assertions `^` and `$`),
/// then the subset construction. A search, not a full match: at every position
/// the start state is added again, and the first time the accepting state is
/// reached the answer is yes, whatever follows.
final class PatternAutomaton: @unchecked Sendable {
    /// The tables, in memory this object owns: a plain value, so that matching copies no reference.
    let table: Table

    /// The answer is settled: a match has been found.
    fileprivate static let matched: UInt16 = 0xFFFF
    /// The answer is settled: no match is possible any more.
    fileprivate static let dead: UInt16 = 0xFFFE
    static let maximumNFAStates = 8_192
    static let maximumDFAStates = 1_024

    struct Table {
        /// `stateCount << classShift` entries: the next state for each class of ASCII bytes, or one
        /// of the two sentinels; rows are a power of two wide, so that a shift finds them.
        fileprivate let transitions: UnsafeMutablePointer<UInt16>
        /// 128 entries: the class of each ASCII byte. Bytes the pattern does not tell apart (all
        /// the letters of `[A-Za-z]`) share a class, which keeps the table small: a few columns, not 128.
        fileprivate let byteClasses: UnsafeMutablePointer<UInt8>
        fileprivate let classShift: Int
        /// Per state: whether the string may end there (the accepting state is reachable through `$`).
        fileprivate let acceptsAtEnd: UnsafeMutablePointer<Bool>
        /// Per state: the bytes that lead back to it, as a bitmap of 0–63 and one of 64–127. A run
        /// of them (`[^\r\n]*` over a whole line) is skipped without the table lookups, each of
        /// which has to wait for the one before.
        fileprivate let loops: UnsafeMutablePointer<(low: UInt64, high: UInt64)>
        fileprivate let initial: UInt16
        /// The pattern matches the empty string.
        fileprivate let matchesEmpty: Bool
        /// The pattern matches at position 0 without reading anything, so it matches every string.
        fileprivate let matchesEverything: Bool

        /// Whether `string` holds a match; `nil` when the answer depends on a non-ASCII part of it.
        @inline(__always)
        func matches(_ string: String) -> Bool? {
            if let verdict = string.utf8.withContiguousStorageIfAvailable({ matches($0) }) { return verdict }
            return nil
        }

        /// Whether the UTF-8 `bytes` hold a match; `nil` when the answer depends on a non-ASCII byte.
        func matches(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
            if matchesEverything { return true }
            if bytes.isEmpty { return matchesEmpty }
            if initial == PatternAutomaton.dead { return false }
            var state = Int(initial)
            var index = 0
            while true {
                let loop = loops[state]
                var byte: UInt8
                repeat {
                    if index == bytes.count { return acceptsAtEnd[state] }
                    byte = bytes[index]
                    index &+= 1
                } while byte < 0x80 && ((byte < 64 ? loop.low : loop.high) >> UInt64(byte & 63)) & 1 != 0
                guard byte < 0x80 else { return nil }
                let next = transitions[state &<< classShift &+ Int(byteClasses[Int(byte)])]
                if next >= PatternAutomaton.dead { return next == PatternAutomaton.matched }
                state = Int(next)
            }
        }
    }

    /// `nil` when the automaton would be too large.
    init?(_ matcher: BacktrackingMatcher) {
        var nfa = NFA()
        guard let start = nfa.group(matcher.alternatives, next: nfa.acceptState) else { return nil }
        nfa.startState = start
        var builder = DFABuilder(nfa: nfa)
        guard let dfa = builder.build() else { return nil }
        let transitions = UnsafeMutablePointer<UInt16>.allocate(capacity: max(1, dfa.transitions.count))
        transitions.initialize(from: dfa.transitions, count: dfa.transitions.count)
        let byteClasses = UnsafeMutablePointer<UInt8>.allocate(capacity: 128)
        byteClasses.initialize(from: dfa.byteClasses, count: 128)
        let classShift = dfa.classShift
        let acceptsAtEnd = UnsafeMutablePointer<Bool>.allocate(capacity: max(1, dfa.acceptsAtEnd.count))
        acceptsAtEnd.initialize(from: dfa.acceptsAtEnd, count: dfa.acceptsAtEnd.count)
        let loops = UnsafeMutablePointer<(low: UInt64, high: UInt64)>.allocate(capacity: max(1, dfa.acceptsAtEnd.count))
        for state in dfa.acceptsAtEnd.indices {
            var loop: (low: UInt64, high: UInt64) = (0, 0)
            let row = state << classShift
            for byte in 0..<128 where dfa.transitions[row + Int(dfa.byteClasses[byte])] == UInt16(state) {
                if byte < 64 { loop.low |= 1 << UInt64(byte) } else { loop.high |= 1 << UInt64(byte - 64) }
            }
            (loops + state).initialize(to: loop)
        }
        table = Table(transitions: transitions, byteClasses: byteClasses, classShift: classShift,
            acceptsAtEnd: acceptsAtEnd, loops: loops, initial: dfa.initial,
            matchesEmpty: dfa.matchesEmpty, matchesEverything: dfa.initial == Self.matched)
    }

    deinit {
        table.transitions.deallocate()
        table.byteClasses.deallocate()
        table.acceptsAtEnd.deallocate()
        table.loops.deallocate()
    }

    /// Whether `string` holds a match; `nil` when the answer depends on a non-ASCII part of it.
    func matches(_ string: String) -> Bool? {
        table.matches(string)
    }

    /// A Thompson NFA, built back to front: each piece is compiled knowing the state that follows it.
    private struct NFA {
        enum State {
            case characters(ScalarClass, next: Int)
            case fork([Int])
            case start(next: Int)
            case end(next: Int)
            case accept
        }

        var states: [State] = [.accept]
        let acceptState = 0
        var startState = 0

        mutating func add(_ state: State) -> Int? {
            guard states.count < PatternAutomaton.maximumNFAStates else { return nil }
            states.append(state)
            return states.count - 1
        }

        mutating func group(_ alternatives: [[BacktrackingMatcher.Node]], next: Int) -> Int? {
            var entries: [Int] = []
            for sequence in alternatives {
                var entry = next
                for node in sequence.reversed() {
                    guard let built = self.node(node, next: entry) else { return nil }
                    entry = built
                }
                entries.append(entry)
            }
            return entries.count == 1 ? entries[0] : add(.fork(entries))
        }

        mutating func node(_ node: BacktrackingMatcher.Node, next: Int) -> Int? {
            switch node {
            case .characters(let characters): return add(.characters(characters, next: next))
            case .start: return add(.start(next: next))
            case .end: return add(.end(next: next))
            case .group(let alternatives): return group(alternatives, next: next)
            case .repetition(let body, let minimum, let maximum):
                var entry: Int
                if maximum == .max {
                    guard let loop = add(.fork([])), let body = self.node(body, next: loop) else { return nil }
                    states[loop] = .fork([body, next])
                    entry = loop
                } else {
                    // x{0,n}: either stop here or take one more x, up to n times.
                    guard maximum - minimum < PatternAutomaton.maximumNFAStates else { return nil }
                    entry = next
                    for _ in 0..<(maximum - minimum) {
                        guard let body = self.node(body, next: entry), let fork = add(.fork([body, next])) else {
                            return nil
                        }
                        entry = fork
                    }
                }
                guard minimum < PatternAutomaton.maximumNFAStates else { return nil }
                for _ in 0..<minimum {
                    guard let body = self.node(body, next: entry) else { return nil }
                    entry = body
                }
                return entry
            }
        }
    }

    /// The subset construction over ASCII.
    private struct DFABuilder {
        let nfa: NFA
        /// Per NFA state, the generation it was last visited in, so that no set needs clearing.
        private var visited: [Int]
        private var generation = 0
        private var numbers: [[Int]: UInt16] = [:]
        private var sets: [[Int]] = []

        init(nfa: NFA) {
            self.nfa = nfa
            visited = Array(repeating: -1, count: nfa.states.count)
        }

        /// The NFA states reachable from `roots` without reading: those that read, `$` and
        /// the accepting state; `^` is passed only at position 0, `$` only when `atEnd`.
        private mutating func closure(_ roots: [Int], atStart: Bool, atEnd: Bool, into set: inout [Int]) {
            var stack = roots
            while let state = stack.popLast() {
                guard visited[state] != generation else { continue }
                visited[state] = generation
                switch nfa.states[state] {
                case .characters, .accept: set.append(state)
                case .fork(let nexts): stack.append(contentsOf: nexts.reversed())
                case .start(let next): if atStart { stack.append(next) }
                case .end(let next):
                    set.append(state)
                    if atEnd { stack.append(next) }
                }
            }
        }

        private mutating func newGeneration() { generation += 1 }

        private func accepts(_ set: [Int]) -> Bool { set.contains(nfa.acceptState) }

        /// Whether the accepting state is reachable from `set` at the end of the string (not at position 0).
        private mutating func acceptsAtEnd(_ set: [Int]) -> Bool {
            newGeneration()
            var reached: [Int] = []
            closure(set, atStart: false, atEnd: true, into: &reached)
            return accepts(reached)
        }

        /// The number of `set`, or a sentinel; `nil` when there are too many states.
        private mutating func number(_ set: [Int]) -> UInt16?? {
            if accepts(set) { return .some(PatternAutomaton.matched) }
            if !set.contains(where: { if case .characters = nfa.states[$0] { true } else { false } }) {
                // Nothing left that reads: only the end of the string can still match, which
                // `acceptsAtEnd` answers; a state that cannot even do that is dead.
                if !acceptsAtEnd(set) { return .some(PatternAutomaton.dead) }
            }
            let key = set.sorted()
            if let known = numbers[key] { return .some(known) }
            guard sets.count < PatternAutomaton.maximumDFAStates else { return .some(nil) }
            let number = UInt16(sets.count)
            numbers[key] = number
            sets.append(key)
            return .some(number)
        }

        mutating func build() -> (
            transitions: [UInt16], byteClasses: [UInt8], classShift: Int, acceptsAtEnd: [Bool], initial: UInt16,
            matchesEmpty: Bool
        )? {
            // The empty string: position 0 is the start and the end at once.
            newGeneration()
            var empty: [Int] = []
            closure([nfa.startState], atStart: true, atEnd: true, into: &empty)
            let matchesEmpty = accepts(empty)

            newGeneration()
            var initialSet: [Int] = []
            closure([nfa.startState], atStart: true, atEnd: false, into: &initialSet)
            guard case .some(let initial?) = number(initialSet) else { return nil }
            // Bytes no class tells apart share their transitions.
            var classes: [ScalarClass] = []
            for state in nfa.states { if case .characters(let characters, _) = state { classes.append(characters) } }
            var groupOfSignature: [[Bool]: UInt8] = [:]
            var byteClasses: [UInt8] = []
            var groups: [UInt8] = []  // one byte of each class
            for byte in UInt8(0)..<128 {
                let signature = classes.map { $0.contains(UInt32(byte)) }
                if let group = groupOfSignature[signature] {
                    byteClasses.append(group)
                } else {
                    groupOfSignature[signature] = UInt8(groups.count)
                    byteClasses.append(UInt8(groups.count))
                    groups.append(byte)
                }
            }
            var classShift = 0
            while 1 << classShift < groups.count { classShift += 1 }
            var transitions: [UInt16] = []
            var acceptsAtEnd: [Bool] = []
            var index = 0
            while index < sets.count {
                let set = sets[index]
                acceptsAtEnd.append(self.acceptsAtEnd(set))
                for representative in groups {
                    let byte = UInt32(representative)
                    var moved: [Int] = []
                    for state in set {
                        if case .characters(let characters, let next) = nfa.states[state], characters.contains(byte) {
                            moved.append(next)
                        }
                    }
                    newGeneration()
                    var target: [Int] = []
                    closure(moved, atStart: false, atEnd: false, into: &target)
                    // A search: a match may also start after this byte.
                    closure([nfa.startState], atStart: false, atEnd: false, into: &target)
                    guard case .some(let number?) = number(target) else { return nil }
                    transitions.append(number)
                }
                transitions += repeatElement(PatternAutomaton.dead, count: (1 << classShift) - groups.count)
                index += 1
            }
            return (transitions, byteClasses, classShift, acceptsAtEnd, initial, matchesEmpty)
        }
    }
}
