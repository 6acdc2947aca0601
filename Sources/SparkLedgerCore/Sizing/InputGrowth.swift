#if canImport(Glibc)
import Glibc  // log and exp: pure functions of the C math library
#elseif canImport(Darwin)
import Darwin
#endif

/// How much larger the next run's input is expected to be than the window's typical input, and
/// how much a quantity grows with input (its elasticity, from a log-log fit over the runs).
struct InputGrowth {
    /// Projected input at "as of" ÷ the weighted median input; 1 when the input does not grow
    /// or too few runs tell.
    let factor: Double
    private let inputs: [String: Double]

    init(_ runs: [SizingRun], weight: (SizingRun) -> Double, asOf: Int64, minimumRuns: Int) {
        let points = runs.compactMap { run -> (run: SizingRun, days: Double, input: Double)? in
            guard let input = run.metrics?.value(.inputBytes), input > 0 else { return nil }
            return (run, Double(run.submitTime - asOf) / Double(SizingPolicy.millisecondsPerDay), input)
        }
        inputs = Dictionary(points.map { ($0.run.executionID, $0.input) }, uniquingKeysWith: { a, _ in a })
        guard points.count >= minimumRuns else {
            factor = 1
            return
        }
        // Least squares of log(input) on days: a steady relative growth per day.
        let fit = LinearFit(points.map { ($0.days, log($0.input)) })
        let median = DecayingSamples(points.map { ($0.input, weight($0.run)) }).percentile(0.5) ?? 1
        // Only a clear upward trend (slope three standard errors above zero) counts as growth.
        guard let fit, fit.slope > 3 * fit.slopeStandardError else {
            factor = 1
            return
        }
        factor = max(1, exp(fit.intercept) / median)  // the fit's input at days = 0, i.e. "as of"
    }

    /// The growth factor raised to the elasticity of `quantity` with respect to input (0...1).
    func scale(for quantity: (SizingRun) -> Double?, in runs: [SizingRun]) -> Double {
        guard factor > 1 else { return 1 }
        let points = runs.compactMap { run -> (Double, Double)? in
            guard let input = inputs[run.executionID], let value = quantity(run), value > 0 else { return nil }
            return (log(input), log(value))
        }
        guard let fit = LinearFit(points) else { return 1 }
        let elasticity = min(1, max(0, fit.slope))
        return exp(elasticity * log(factor))
    }
}

/// Ordinary least squares y = intercept + slope × x; nil with fewer than two distinct x.
struct LinearFit {
    let slope: Double
    let intercept: Double
    /// The slope's standard error (0 with two points).
    let slopeStandardError: Double

    init?(_ points: [(Double, Double)]) {
        guard points.count >= 2 else { return nil }
        let n = Double(points.count)
        let meanX = points.reduce(0) { $0 + $1.0 } / n
        let meanY = points.reduce(0) { $0 + $1.1 } / n
        let sxx = points.reduce(0) { $0 + ($1.0 - meanX) * ($1.0 - meanX) }
        guard sxx > 1e-12 else { return nil }
        let sxy = points.reduce(0) { $0 + ($1.0 - meanX) * ($1.1 - meanY) }
        let fittedSlope = sxy / sxx
        let fittedIntercept = meanY - fittedSlope * meanX
        let residuals = points.reduce(0) { sum, point in
            let error = point.1 - (fittedIntercept + fittedSlope * point.0)
            return sum + error * error
        }
        slope = fittedSlope
        intercept = fittedIntercept
        slopeStandardError = points.count > 2 ? (residuals / (n - 2) / sxx).squareRoot() : 0
    }
}
