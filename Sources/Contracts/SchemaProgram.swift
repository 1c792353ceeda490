import PilotJSON

/// The success path: a compiled schema flattened into plain tables that only
/// answer "valid or not", built once from the `SchemaNode` tree.
///
/// Nearly every event is valid, and for those `Schema.validate` asks this alone;
/// only when it says "invalid" does the `SchemaNode` tree run again to collect
/// the errors (so messages come from one place, and the answer of `validate`
/// is the tree's in every case). Why a second form of the same schema:
///
/// - No reference counting. The tree is made of classes and enums with class
///   payloads, so walking it retained and released something at nearly every
///   step (half the time of a validation). Here nodes, checks and child lists
///   are trivial values in buffers this object owns, reached by index.
/// - `properties` + `additionalProperties` + `required` in one pass over the
///   instance's members, matching names by their bytes, instead of a lookup
///   per declared name plus a pass for the undeclared ones plus a lookup per
///   required name.
/// - `pattern` through `PatternAutomaton`, and `const`/`enum` strings compared
///   by their bytes.
///
/// Each keyword answers exactly what the tree's check answers (the tests run
/// the official suite through both). Where byte comparison would not be
/// canonical equivalence, as `JSONObject` and `Set<String>` compare names
/// (a member name that is not ASCII), the tree's own algorithm runs instead.
final class SchemaProgram: @unchecked Sendable {
    /// One (sub)schema: its checks, grouped by the instance type they apply to, as ranges of `operations`.
    struct Node {
        var rejectsEverything = false
        var any: Range<Int32> = 0..<0
        var number: Range<Int32> = 0..<0
        var string: Range<Int32> = 0..<0
        var array: Range<Int32> = 0..<0
        var object: Range<Int32> = 0..<0
    }

    /// One check; every payload is an index or a number, so copying one costs nothing.
    enum Operation {
        case type(TypeSet)
        /// A `const` string: its bytes in `bytes`.
        case constString(Slice)
        /// Any other `const`: `values[index]`.
        case const(Int32)
        /// An `enum` of strings only: `slices[range]`.
        case enumStrings(Range<Int32>)
        /// Any other `enum`: `enumerations[index]`.
        case enumeration(Int32)
        case ref(Int32)
        /// Nodes `children[range]`.
        case allOf(Range<Int32>)
        case anyOf(Range<Int32>)
        case oneOf(Range<Int32>)
        case not(Int32)
        /// `if`, `then`, `else`; -1 when absent.
        case conditional(Int32, Int32, Int32)
        case bound(Bound)
        /// `values[index]`.
        case multipleOf(Int32)
        case minLength(Int)
        case maxLength(Int)
        /// `patterns[index]`.
        case pattern(Int32)
        case format(Format)
        /// `prefixItems`: nodes `children[range]`; `items`: a node or -1.
        case items(Range<Int32>, Int32)
        /// `containsRules[index]`.
        case contains(Int32)
        case minItems(Int)
        case maxItems(Int)
        case uniqueItems
        /// `memberRules[index]`.
        case members(Int32)
        /// Names `requiredNames[range]`.
        case required(Range<Int32>)
        /// `dependentRequired[index]`.
        case dependentRequired(Int32)
        /// `dependentSchemas[index]`.
        case dependentSchemas(Int32)
        case propertyNames(Int32)
        case minProperties(Int)
        case maxProperties(Int)
    }

    /// Bytes `bytes[offset..<offset+count]`.
    struct Slice {
        var offset: Int32
        var count: Int32
    }

    /// `minimum` and its relatives, with the limit unpacked.
    struct Bound {
        var kind: NumberBound.Kind
        var integer: Int64?
        var double: Double

        @inline(__always)
        func admits(_ instance: InstanceShape) -> Bool {
            // As `NumberBound.compare`: two integers exactly, anything else as doubles.
            let order: Int
            switch instance {
            case .int(let x):
                if let y = integer {
                    order = x < y ? -1 : x == y ? 0 : 1
                } else {
                    let x = Double(x)
                    order = x < double ? -1 : x == double ? 0 : 1
                }
            case .double(let x): order = x < double ? -1 : x == double ? 0 : 1
            default: return true
            }
            switch kind {
            case .minimum: return order >= 0
            case .maximum: return order <= 0
            case .exclusiveMinimum: return order > 0
            case .exclusiveMaximum: return order < 0
            }
        }
    }

    struct ContainsRule {
        var node: Int32
        var minimum: Int
        var maximum: Int?
    }

    /// `properties`, `patternProperties`, `additionalProperties`, and `required` when every
    /// required name is a declared property.
    struct MemberRule {
        /// `properties[range]`.
        var properties: Range<Int32>
        /// `memberPatterns[range]`.
        var patterns: Range<Int32>
        /// -1 when absent.
        var additional: Int32
        var additionalRejects: Bool
        /// Every declared name is ASCII and there are at most 64: the one-pass path applies.
        var onePass: Bool
        /// How many declared properties are required (their `required` flags say which).
        var requiredCount: Int
        /// Names `requiredNames[range]`: the `required` keyword folded into this rule.
        var required: Range<Int32>
        /// `genericMembers[index]`, for instances the one pass cannot take.
        var generic: Int32
    }

    struct Property {
        var name: Slice
        var node: Int32
        var required: Bool
    }

    /// What the tree's `Members` check works with, by node number: for the general algorithm.
    struct GenericMembers {
        var properties: [(name: String, node: Int32)]
        var declared: Set<String>
        var patterns: [(pattern: Pattern, node: Int32)]
        var additional: Int32
        var additionalRejects: Bool
    }

    private let nodes: UnsafeMutableBufferPointer<Node>
    private let operations: UnsafeMutableBufferPointer<Operation>
    private let children: UnsafeMutableBufferPointer<Int32>
    private let bytes: UnsafeMutableBufferPointer<UInt8>
    private let slices: UnsafeMutableBufferPointer<Slice>
    private let properties: UnsafeMutableBufferPointer<Property>
    private let memberRules: UnsafeMutableBufferPointer<MemberRule>
    private let memberPatterns: UnsafeMutableBufferPointer<(pattern: Int32, node: Int32)>
    private let containsRules: UnsafeMutableBufferPointer<ContainsRule>
    /// Per pattern, its automaton's tables, or `nil`.
    private let automata: UnsafeMutableBufferPointer<PatternAutomaton.Table?>
    /// Entry point.
    private let root: Int32

    // Rarely used parts, as Swift values.
    private let values: [JSONValue]
    private let enumerations: [Enumeration]
    /// Also keeps the automata alive.
    private let patterns: [Pattern]
    private let requiredNames: [String]
    private let genericMembers: [GenericMembers]
    private let dependentRequired: [[(property: String, requires: [String])]]
    private let dependentSchemas: [[(property: String, node: Int32)]]

    /// Flattens the tree under `root`; `nodes` holds every node reachable from it.
    init(root rootNode: SchemaNode, nodes schemaNodes: [SchemaNode]) {
        var builder = Builder(schemaNodes)
        for (number, node) in schemaNodes.enumerated() { builder.add(node, number: number) }
        root = builder.number(rootNode)
        nodes = .copy(builder.nodes)
        operations = .copy(builder.operations)
        children = .copy(builder.children)
        bytes = .copy(builder.bytes)
        slices = .copy(builder.slices)
        properties = .copy(builder.properties)
        memberRules = .copy(builder.memberRules)
        memberPatterns = .copy(builder.memberPatterns)
        containsRules = .copy(builder.containsRules)
        automata = .copy(builder.patterns.map { $0.automaton?.table })
        values = builder.values
        enumerations = builder.enumerations
        patterns = builder.patterns
        requiredNames = builder.requiredNames
        genericMembers = builder.genericMembers
        dependentRequired = builder.dependentRequired
        dependentSchemas = builder.dependentSchemas
    }

    deinit {
        // Trivial values all: nothing to deinitialise.
        nodes.baseAddress?.deallocate()
        operations.baseAddress?.deallocate()
        children.baseAddress?.deallocate()
        bytes.baseAddress?.deallocate()
        slices.baseAddress?.deallocate()
        properties.baseAddress?.deallocate()
        memberRules.baseAddress?.deallocate()
        memberPatterns.baseAddress?.deallocate()
        containsRules.baseAddress?.deallocate()
        automata.baseAddress?.deallocate()
    }

    /// Whether `instance` satisfies the schema.
    func isValid<I: ProgramInstance>(_ instance: I) -> Bool {
        valid(root, instance, 0)
    }

    // MARK: - Evaluation

    @inline(never)
    private func valid<I: ProgramInstance>(_ number: Int32, _ instance: I, _ depth: Int) -> Bool {
        let node = nodes[Int(number)]
        if node.rejectsEverything { return false }
        let shape = instance.shape
        if !node.any.isEmpty, !validAny(node.any, instance, shape, depth) { return false }
        switch shape {
        case .int, .double:
            return node.number.isEmpty || validNumber(node.number, instance, shape)
        case .string:
            return node.string.isEmpty || validString(node.string, instance)
        case .array:
            return node.array.isEmpty || validArray(node.array, instance, depth)
        case .object:
            return node.object.isEmpty || validObject(node.object, instance, depth)
        case .null, .bool:
            return true
        }
    }

    @inline(__always)
    private func validAll<I: ProgramInstance>(_ range: Range<Int32>, _ instance: I, _ depth: Int) -> Bool {
        for index in range where !valid(children[Int(index)], instance, depth) { return false }
        return true
    }

    private func validAny<I: ProgramInstance>(_ range: Range<Int32>, _ instance: I, _ shape: InstanceShape, _ depth: Int) -> Bool {
        for index in range {
            switch operations[Int(index)] {
            case .type(let types):
                guard types.admits(shape) else { return false }
            case .constString(let slice):
                // JSON equality: a string equals a string with the same code points, nothing else.
                guard case .string = shape, instance.withUTF8({ equalBytes($0, slice) }) else { return false }
            case .const(let value):
                guard JSONEquality.equal(instance.jsonValue, values[Int(value)]) else { return false }
            case .enumStrings(let range):
                // JSON equality: a string equals a string with the same code points, nothing else.
                guard case .string = shape, instance.withUTF8({ contains($0, range) }) else { return false }
            case .enumeration(let enumeration):
                guard enumerations[Int(enumeration)].admits(instance.jsonValue) else { return false }
            case .ref(let target):
                guard depth < Evaluation.maximumReferenceDepth, valid(target, instance, depth + 1) else {
                    return false
                }
            case .allOf(let range):
                guard validAll(range, instance, depth) else { return false }
            case .anyOf(let range):
                var matched = false
                for child in range where valid(children[Int(child)], instance, depth) {
                    matched = true
                    break
                }
                guard matched else { return false }
            case .oneOf(let range):
                var matches = 0
                for child in range where valid(children[Int(child)], instance, depth) {
                    matches += 1
                    if matches == 2 { break }
                }
                guard matches == 1 else { return false }
            case .not(let negated):
                guard !valid(negated, instance, depth) else { return false }
            case .conditional(let condition, let then, let otherwise):
                let branch = valid(condition, instance, depth) ? then : otherwise
                guard branch < 0 || valid(branch, instance, depth) else { return false }
            default:
                preconditionFailure("not a check for any instance")
            }
        }
        return true
    }

    private func validNumber<I: ProgramInstance>(_ range: Range<Int32>, _ instance: I, _ shape: InstanceShape) -> Bool {
        for index in range {
            switch operations[Int(index)] {
            case .bound(let bound):
                guard bound.admits(shape) else { return false }
            case .multipleOf(let divisor):
                guard NumberBound.isMultiple(instance.jsonValue, of: values[Int(divisor)]) else { return false }
            default:
                preconditionFailure("not a check for numbers")
            }
        }
        return true
    }

    private func validString<I: ProgramInstance>(_ range: Range<Int32>, _ instance: I) -> Bool {
        instance.withUTF8 { bytes in
            for index in range {
                switch operations[Int(index)] {
                case .minLength(let limit):
                    guard StringChecks.hasMinLength(utf8: bytes, limit) else { return false }
                case .maxLength(let limit):
                    guard StringChecks.hasMaxLength(utf8: bytes, limit) else { return false }
                case .pattern(let pattern):
                    guard matches(bytes, pattern, instance.stringValue) else { return false }
                case .format(let format):
                    guard format.admits(instance.stringValue) else { return false }
                default:
                    preconditionFailure("not a check for strings")
                }
            }
            return true
        }
    }

    /// Whether the UTF-8 `bytes` hold a match of `pattern`; `string` (the same text) is
    /// made only when the automaton cannot decide.
    @inline(__always)
    private func matches(_ bytes: UnsafeBufferPointer<UInt8>, _ pattern: Int32, _ string: @autoclosure () -> String) -> Bool {
        if let table = automata[Int(pattern)], let verdict = table.matches(bytes) { return verdict }
        return patterns[Int(pattern)].matchesWithoutAutomaton(string())
    }

    private func validArray<I: ProgramInstance>(_ range: Range<Int32>, _ items: I, _ depth: Int) -> Bool {
        let count = items.count
        for index in range {
            switch operations[Int(index)] {
            case .items(let prefix, let rest):
                for position in 0..<count {
                    let node: Int32
                    if position < prefix.count {
                        node = children[Int(prefix.lowerBound) + position]
                    } else if rest >= 0 {
                        node = rest
                    } else {
                        break
                    }
                    guard valid(node, items.item(position), depth) else { return false }
                }
            case .contains(let rule):
                let rule = containsRules[Int(rule)]
                var matches = 0
                for item in 0..<count where valid(rule.node, items.item(item), depth) {
                    matches += 1
                    if matches >= rule.minimum, rule.maximum.map({ matches > $0 }) ?? true { break }
                }
                guard matches >= rule.minimum, rule.maximum.map({ matches <= $0 }) ?? true else { return false }
            case .minItems(let limit):
                guard count >= limit else { return false }
            case .maxItems(let limit):
                guard count <= limit else { return false }
            case .uniqueItems:
                guard ArrayChecks.duplicate(in: items.jsonValue.array ?? []) == nil else { return false }
            default:
                preconditionFailure("not a check for arrays")
            }
        }
        return true
    }

    private func validObject<I: ProgramInstance>(_ range: Range<Int32>, _ object: I, _ depth: Int) -> Bool {
        for index in range {
            switch operations[Int(index)] {
            case .members(let rule):
                guard validMembers(memberRules[Int(rule)], object, depth) else { return false }
            case .required(let names):
                for name in names where !object.hasMember(requiredNames[Int(name)]) { return false }
            case .dependentRequired(let rules):
                for (property, requires) in dependentRequired[Int(rules)] where object.hasMember(property) {
                    for name in requires where !object.hasMember(name) { return false }
                }
            case .dependentSchemas(let rules):
                for (property, node) in dependentSchemas[Int(rules)] where object.hasMember(property) {
                    guard valid(node, object, depth) else { return false }
                }
            case .propertyNames(let node):
                let named = object.allMembers { name, _ in valid(node, MemberName(bytes: name), depth) }
                guard named else { return false }
            case .minProperties(let limit):
                guard object.count >= limit else { return false }
            case .maxProperties(let limit):
                guard object.count <= limit else { return false }
            default:
                preconditionFailure("not a check for objects")
            }
        }
        return true
    }

    /// Which declared property `key` names: its index in `properties`, -1 for none, -2 when `key` is not ASCII.
    /// The search starts at `hint` and wraps around: members usually come in the order of the
    /// declarations, so that the first name compared is usually the one.
    @inline(__always)
    private func property(named key: UnsafeBufferPointer<UInt8>, in range: Range<Int32>, from hint: Int32) -> Int32 {
        let count = Int32(key.count)
        for index in hint..<range.upperBound {
            let name = properties[Int(index)].name
            if name.count == count, equalBytes(key, name) { return index }
        }
        for index in range.lowerBound..<hint {
            let name = properties[Int(index)].name
            if name.count == count, equalBytes(key, name) { return index }
        }
        for byte in key where byte >= 0x80 { return -2 }
        return -1
    }

    private func validMembers<I: ProgramInstance>(_ rule: MemberRule, _ object: I, _ depth: Int) -> Bool {
        if rule.onePass, let verdict = validMembersInOnePass(rule, object, depth) { return verdict }
        return validMembersGenerally(rule, object.jsonValue.object ?? JSONObject(), depth)
    }

    /// `nil` when a member name is not ASCII, and the general path must decide.
    private func validMembersInOnePass<I: ProgramInstance>(_ rule: MemberRule, _ object: I, _ depth: Int) -> Bool? {
        var seen: UInt64 = 0
        var requiredSeen = 0
        var hint = rule.properties.lowerBound
        var verdict: Bool? = true
        _ = object.allMembers { key, value in
            let found = property(named: key, in: rule.properties, from: hint)
            if found == -2 {
                verdict = nil
                return false
            }
            var matched = false
            if found >= 0 {
                let property = properties[Int(found)]
                let bit: UInt64 = 1 << UInt64(found - rule.properties.lowerBound)
                // Names are distinct, so this cannot happen; if it did, the general path knows what to do.
                if seen & bit != 0 {
                    verdict = nil
                    return false
                }
                seen |= bit
                if property.required { requiredSeen += 1 }
                hint = found + 1 < rule.properties.upperBound ? found + 1 : rule.properties.lowerBound
                guard valid(property.node, value, depth) else {
                    verdict = false
                    return false
                }
                matched = true
            }
            for index in rule.patterns {
                let (pattern, node) = memberPatterns[Int(index)]
                guard matches(key, pattern, String(decoding: key, as: UTF8.self)) else { continue }
                matched = true
                guard valid(node, value, depth) else {
                    verdict = false
                    return false
                }
            }
            if !matched, rule.additional >= 0 {
                guard !rule.additionalRejects, valid(rule.additional, value, depth) else {
                    verdict = false
                    return false
                }
            }
            return true
        }
        guard verdict == true else { return verdict }
        return requiredSeen == rule.requiredCount
    }

    /// The tree's algorithm (`Members.validate`), and the folded `required`, with names compared as Swift strings.
    private func validMembersGenerally(_ rule: MemberRule, _ object: JSONObject, _ depth: Int) -> Bool {
        for name in rule.required where object[requiredNames[Int(name)]] == nil { return false }
        let members = genericMembers[Int(rule.generic)]
        var declaredPresent = 0
        for (name, node) in members.properties {
            guard let value = object[name] else { continue }
            declaredPresent += 1
            guard valid(node, value, depth) else { return false }
        }
        if members.patterns.isEmpty && (members.additional < 0 || declaredPresent == object.count) { return true }
        for key in object.keys {
            let value = object[key]!
            var matched = members.declared.contains(key)
            for (pattern, node) in members.patterns where pattern.matches(key) {
                matched = true
                guard valid(node, value, depth) else { return false }
            }
            guard !matched, members.additional >= 0 else { continue }
            guard !members.additionalRejects, valid(members.additional, value, depth) else { return false }
        }
        return true
    }

    // MARK: - Bytes

    @inline(__always)
    private func equalBytes(_ text: UnsafeBufferPointer<UInt8>, _ slice: Slice) -> Bool {
        guard text.count == Int(slice.count) else { return false }
        guard let textStart = text.baseAddress else { return true }
        let start = UnsafeRawPointer(bytes.baseAddress! + Int(slice.offset))
        let other = UnsafeRawPointer(textStart)
        // Eight bytes at a time, then the rest.
        var index = 0
        while index + 8 <= text.count {
            guard start.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                == other.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            else { return false }
            index += 8
        }
        while index < text.count {
            guard start.load(fromByteOffset: index, as: UInt8.self) == other.load(fromByteOffset: index, as: UInt8.self)
            else { return false }
            index += 1
        }
        return true
    }

    private func contains(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int32>) -> Bool {
        for index in range where equalBytes(bytes, slices[Int(index)]) { return true }
        return false
    }

    // MARK: - Building

    private struct Builder {
        var numbers: [ObjectIdentifier: Int32] = [:]
        var nodes: [Node]
        var operations: [Operation] = []
        var children: [Int32] = []
        var bytes: [UInt8] = []
        var slices: [Slice] = []
        var properties: [Property] = []
        var memberRules: [MemberRule] = []
        var memberPatterns: [(pattern: Int32, node: Int32)] = []
        var containsRules: [ContainsRule] = []
        var values: [JSONValue] = []
        var enumerations: [Enumeration] = []
        var patterns: [Pattern] = []
        var requiredNames: [String] = []
        var genericMembers: [GenericMembers] = []
        var dependentRequired: [[(property: String, requires: [String])]] = []
        var dependentSchemas: [[(property: String, node: Int32)]] = []

        init(_ schemaNodes: [SchemaNode]) {
            for (number, node) in schemaNodes.enumerated() { numbers[ObjectIdentifier(node)] = Int32(number) }
            nodes = Array(repeating: Node(), count: schemaNodes.count)
        }

        func number(_ node: SchemaNode) -> Int32 {
            guard let number = numbers[ObjectIdentifier(node)] else {
                preconditionFailure("a schema node outside the compiled schema")
            }
            return number
        }

        mutating func add(_ node: SchemaNode, number: Int) {
            var compiled = Node()
            compiled.rejectsEverything = node.rejectsEverything
            compiled.any = add(node.anyChecks, folding: nil)
            compiled.number = add(node.numberChecks, folding: nil)
            compiled.string = add(node.stringChecks, folding: nil)
            compiled.array = add(node.arrayChecks, folding: nil)
            // `required` joins `properties` when every required name is a declared one.
            var folded: [String]?
            for case .required(let names) in node.objectChecks {
                for case .members(let members) in node.objectChecks
                where names.allSatisfy({ name in members.properties.contains { $0.name == name } }) {
                    folded = names
                }
            }
            compiled.object = add(node.objectChecks, folding: folded)
            nodes[number] = compiled
        }

        private mutating func add(_ checks: [Check], folding required: [String]?) -> Range<Int32> {
            let start = Int32(operations.count)
            for check in checks {
                if case .required = check, required != nil { continue }
                operations.append(operation(check, folding: required))
            }
            return start..<Int32(operations.count)
        }

        private mutating func slice(_ string: String) -> Slice {
            let slice = Slice(offset: Int32(bytes.count), count: Int32(string.utf8.count))
            bytes += string.utf8
            return slice
        }

        private mutating func list(_ nodes: [SchemaNode]) -> Range<Int32> {
            let start = Int32(children.count)
            children += nodes.map(number)
            return start..<Int32(children.count)
        }

        private mutating func names(_ names: [String]) -> Range<Int32> {
            let start = Int32(requiredNames.count)
            requiredNames += names
            return start..<Int32(requiredNames.count)
        }

        private mutating func pattern(_ pattern: Pattern) -> Int32 {
            if let known = patterns.firstIndex(where: { $0 === pattern }) { return Int32(known) }
            patterns.append(pattern)
            return Int32(patterns.count - 1)
        }

        private mutating func operation(_ check: Check, folding required: [String]?) -> Operation {
            switch check {
            case .type(let types): return .type(types)
            case .const(let value):
                if case .string(let string) = value { return .constString(slice(string)) }
                values.append(value)
                return .const(Int32(values.count - 1))
            case .enumeration(let enumeration):
                let strings = enumeration.values.compactMap(\.string)
                if strings.count == enumeration.values.count {
                    let start = Int32(slices.count)
                    for string in strings { slices.append(slice(string)) }
                    return .enumStrings(start..<Int32(slices.count))
                }
                enumerations.append(enumeration)
                return .enumeration(Int32(enumerations.count - 1))
            case .ref(let target): return .ref(number(target))
            case .allOf(let nodes): return .allOf(list(nodes))
            case .anyOf(let nodes): return .anyOf(list(nodes))
            case .oneOf(let nodes): return .oneOf(list(nodes))
            case .not(let negation): return .not(number(negation.schema))
            case .conditional(let conditional):
                return .conditional(number(conditional.condition), conditional.then.map(number) ?? -1,
                    conditional.otherwise.map(number) ?? -1)
            case .bound(let bound):
                return .bound(Bound(kind: bound.kind, integer: bound.limit.intValue, double: bound.limit.number!))
            case .multipleOf(let divisor):
                values.append(divisor)
                return .multipleOf(Int32(values.count - 1))
            case .minLength(let limit): return .minLength(limit)
            case .maxLength(let limit): return .maxLength(limit)
            case .pattern(let pattern): return .pattern(self.pattern(pattern))
            case .format(let format): return .format(format)
            case .items(let items): return .items(list(items.prefix), items.rest.map(number) ?? -1)
            case .contains(let contains):
                containsRules.append(
                    ContainsRule(node: number(contains.schema), minimum: contains.minimum, maximum: contains.maximum))
                return .contains(Int32(containsRules.count - 1))
            case .minItems(let limit): return .minItems(limit)
            case .maxItems(let limit): return .maxItems(limit)
            case .uniqueItems: return .uniqueItems
            case .members(let members): return .members(memberRule(members, folding: required ?? []))
            case .required(let names): return .required(self.names(names))
            case .dependentRequired(let rules):
                dependentRequired.append(rules)
                return .dependentRequired(Int32(dependentRequired.count - 1))
            case .dependentSchemas(let rules):
                dependentSchemas.append(rules.map { ($0.property, number($0.schema)) })
                return .dependentSchemas(Int32(dependentSchemas.count - 1))
            case .propertyNames(let node): return .propertyNames(number(node))
            case .minProperties(let limit): return .minProperties(limit)
            case .maxProperties(let limit): return .maxProperties(limit)
            }
        }

        private mutating func memberRule(_ members: Members, folding required: [String]) -> Int32 {
            let additional = members.additional.map(number) ?? -1
            let additionalRejects = members.additional?.rejectsEverything ?? false
            let start = Int32(properties.count)
            for (name, schema) in members.properties {
                properties.append(
                    Property(name: slice(name), node: number(schema), required: required.contains { $0 == name }))
            }
            let patternStart = Int32(memberPatterns.count)
            for (pattern, schema) in members.patterns {
                memberPatterns.append((self.pattern(pattern), number(schema)))
            }
            genericMembers.append(GenericMembers(
                properties: members.properties.map { ($0.name, number($0.schema)) }, declared: members.declared,
                patterns: members.patterns.map { ($0.pattern, number($0.schema)) }, additional: additional,
                additionalRejects: additionalRejects))
            let isASCII = { (name: String) in name.utf8.allSatisfy { $0 < 0x80 } }
            memberRules.append(MemberRule(
                properties: start..<Int32(properties.count), patterns: patternStart..<Int32(memberPatterns.count),
                additional: additional, additionalRejects: additionalRejects,
                onePass: members.properties.count <= 64 && members.properties.allSatisfy { isASCII($0.name) }
                    && required.allSatisfy(isASCII),
                requiredCount: properties[Int(start)...].filter(\.required).count,
                required: names(required), generic: Int32(genericMembers.count - 1)))
            return Int32(memberRules.count - 1)
        }
    }
}

extension UnsafeMutableBufferPointer {
    /// A buffer of its own holding `elements` (never without a base address, so that `deinit` frees it).
    fileprivate static func copy(_ elements: [Element]) -> UnsafeMutableBufferPointer<Element> {
        let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: Swift.max(1, elements.count))
        _ = buffer.initialize(from: elements)
        return UnsafeMutableBufferPointer(rebasing: buffer[..<elements.count])
    }
}

extension JSONValue {
    fileprivate var intValue: Int64? {
        if case .int(let value) = self { value } else { nil }
    }
}
