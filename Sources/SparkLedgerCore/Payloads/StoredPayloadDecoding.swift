/// Decoding of payload parts the store keeps as canonical JSON. They were validated on the way
/// in, so nil here means the stored text was changed behind the pipeline's back.
extension PayloadReader {
    /// A reader of the object `text` holds, or nil when it holds no JSON object.
    init?(canonicalJSON text: String, path: String) {
        guard let tape = try? JSONParser.tape(text), tape.kind(at: JSONTape.root) == .object else { return nil }
        self.init(tape, object: JSONTape.root, path: path)
    }
}

extension MetricsSummary {
    public init?(canonicalJSON: String) {
        guard let reader = PayloadReader(canonicalJSON: canonicalJSON, path: "payload"),
              let metrics = try? MetricsSummary(reader) else { return nil }
        self = metrics
    }
}

extension RequestedResources {
    public init?(canonicalJSON: String) {
        guard let reader = PayloadReader(canonicalJSON: canonicalJSON, path: "payload.resources"),
              let resources = try? RequestedResources(reader) else { return nil }
        self = resources
    }
}

extension RequestedResources {
    /// A `resources` object as a user writes it (the current request of a job): a JSON syntax
    /// error or a field error that names the field.
    public init(json text: String) throws {
        let tape = try JSONParser.tape(text)
        guard tape.kind(at: JSONTape.root) == .object else {
            throw FieldError(field: "resources", expected: "an object", found: FieldError.render(tape.value(at: JSONTape.root)))
        }
        self = try RequestedResources(PayloadReader(tape, object: JSONTape.root, path: "resources"))
    }
}
