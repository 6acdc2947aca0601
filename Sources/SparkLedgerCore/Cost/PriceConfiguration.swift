/// Unit prices in USD (contract §6). The defaults are OpenCost's published defaults.
public struct PriceConfiguration: Sendable, Equatable {
    public var cpuCoreHour: Double
    public var spotCPUCoreHour: Double
    public var ramGiBHour: Double
    public var spotRAMGiBHour: Double

    public init(cpuCoreHour: Double = 0.031611, spotCPUCoreHour: Double = 0.006655,
                ramGiBHour: Double = 0.004237, spotRAMGiBHour: Double = 0.000892) {
        self.cpuCoreHour = cpuCoreHour
        self.spotCPUCoreHour = spotCPUCoreHour
        self.ramGiBHour = ramGiBHour
        self.spotRAMGiBHour = spotRAMGiBHour
    }

    public static let openCostDefaults = PriceConfiguration()
}
