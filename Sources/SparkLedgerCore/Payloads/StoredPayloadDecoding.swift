/// Decoding of payload parts the store keeps as canonical JSON. They were validated on the way
/// in, so nil here means the stored text was changed behind the pipeline's back.
extension MetricsSummary {
    public init?(canonicalJSON: String) {
        guard case .object(let object)? = try? JSONParser.parse(canonicalJSON),
              let metrics = try? MetricsSummary(PayloadReader(object, path: "payload")) else { return nil }
        self = metrics
    }
}

extension RequestedResources {
    public init?(canonicalJSON: String) {
        guard case .object(let object)? = try? JSONParser.parse(canonicalJSON),
              let resources = try? RequestedResources(PayloadReader(object, path: "payload.resources")) else { return nil }
        self = resources
    }
}

extension RequestedResources {
    /// A `resources` object as a user writes it (the current request of a job): a JSON syntax
    /// error or a field error that names the field.
    public init(json text: String) throws {
        let value = try JSONParser.parse(text)
        guard case .object(let object) = value else {
            throw FieldError(field: "resources", expected: "an object", found: FieldError.render(value))
        }
        self = try RequestedResources(PayloadReader(object, path: "resources"))
    }
}
