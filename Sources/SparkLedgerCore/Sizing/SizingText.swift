/// Small helpers of the sizing model: clamping, and numbers as the reasons print them.

func clamp(_ value: Int64, _ low: Int64, _ high: Int64) -> Int64 { min(max(value, low), max(low, high)) }

func percent(_ fraction: Double) -> String {
    let value = (fraction * 100 * 10).rounded() / 10
    return value == value.rounded() ? String(Int64(value)) : String(value)
}

func rounded(_ value: Double, _ places: Int) -> String {
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    let result = (value * scale).rounded() / scale
    return result == result.rounded() ? String(Int64(result)) : String(result)
}

/// Megabytes as people read them: "5.1 GiB", "900 MiB".
func mebibytes(_ value: Double) -> String {
    value >= 1024 ? "\(rounded(value / 1024, 1)) GiB" : "\(rounded(value, 0)) MiB"
}
