import PilotJSON

/// One compiled keyword (or a few that only make sense together, such as
/// `properties` + `patternProperties` + `additionalProperties`). An enum rather
/// than a protocol: a `switch` over it is cheaper than dynamic dispatch, and
/// the payloads stay inline.
enum Check {
    // Any instance type.
    case type(TypeSet)
    case const(JSONValue)
    case enumeration(Enumeration)
    case ref(SchemaNode)
    case allOf([SchemaNode])
    case anyOf([SchemaNode])
    case oneOf([SchemaNode])
    case not(Negation)
    case conditional(Conditional)
    // Numbers.
    case bound(NumberBound)
    case multipleOf(JSONValue)
    // Strings.
    case minLength(Int)
    case maxLength(Int)
    case pattern(Pattern)
    case format(Format)
    // Arrays.
    case items(Items)
    case contains(Contains)
    case minItems(Int)
    case maxItems(Int)
    case uniqueItems
    // Objects.
    case members(Members)
    case required([String])
    case dependentRequired([(property: String, requires: [String])])
    case dependentSchemas([(property: String, schema: SchemaNode)])
    case propertyNames(SchemaNode)
    case minProperties(Int)
    case maxProperties(Int)

    enum InstanceKind { case any, number, string, array, object }

    var appliesTo: InstanceKind {
        switch self {
        case .type, .const, .enumeration, .ref, .allOf, .anyOf, .oneOf, .not, .conditional: .any
        case .bound, .multipleOf: .number
        case .minLength, .maxLength, .pattern, .format: .string
        case .items, .contains, .minItems, .maxItems, .uniqueItems: .array
        case .members, .required, .dependentRequired, .dependentSchemas, .propertyNames, .minProperties,
            .maxProperties:
            .object
        }
    }

    func validate(_ instance: JSONValue, _ evaluation: inout Evaluation) -> Bool {
        switch self {
        case .type(let types): types.validate(instance, &evaluation)
        case .const(let expected): Enumeration.validateConst(expected, instance, &evaluation)
        case .enumeration(let enumeration): enumeration.validate(instance, &evaluation)
        case .ref(let target): Combinators.validateRef(target, instance, &evaluation)
        case .allOf(let schemas): Combinators.validateAllOf(schemas, instance, &evaluation)
        case .anyOf(let schemas): Combinators.validateAnyOf(schemas, instance, &evaluation)
        case .oneOf(let schemas): Combinators.validateOneOf(schemas, instance, &evaluation)
        case .not(let negation): negation.validate(instance, &evaluation)
        case .conditional(let conditional): conditional.validate(instance, &evaluation)
        case .bound(let bound): bound.validate(instance, &evaluation)
        case .multipleOf(let divisor): NumberBound.validateMultipleOf(divisor, instance, &evaluation)
        case .minLength(let limit): StringChecks.validateMinLength(limit, instance, &evaluation)
        case .maxLength(let limit): StringChecks.validateMaxLength(limit, instance, &evaluation)
        case .pattern(let pattern): pattern.validate(instance, &evaluation)
        case .format(let format): format.validate(instance, &evaluation)
        case .items(let items): items.validate(instance, &evaluation)
        case .contains(let contains): contains.validate(instance, &evaluation)
        case .minItems(let limit): ArrayChecks.validateMinItems(limit, instance, &evaluation)
        case .maxItems(let limit): ArrayChecks.validateMaxItems(limit, instance, &evaluation)
        case .uniqueItems: ArrayChecks.validateUniqueItems(instance, &evaluation)
        case .members(let members): members.validate(instance, &evaluation)
        case .required(let names): ObjectChecks.validateRequired(names, instance, &evaluation)
        case .dependentRequired(let rules): ObjectChecks.validateDependentRequired(rules, instance, &evaluation)
        case .dependentSchemas(let rules): ObjectChecks.validateDependentSchemas(rules, instance, &evaluation)
        case .propertyNames(let schema): ObjectChecks.validatePropertyNames(schema, instance, &evaluation)
        case .minProperties(let limit): ObjectChecks.validateMinProperties(limit, instance, &evaluation)
        case .maxProperties(let limit): ObjectChecks.validateMaxProperties(limit, instance, &evaluation)
        }
    }
}
