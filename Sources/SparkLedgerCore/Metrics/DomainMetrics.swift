/// The domain metrics of contract §8 as a pure function of daily usage: the stored history's
/// totals per (team, namespace, vendor), so a restart or a replay gives the same values. Days
/// and jobs are summed away; `job_path` stays only for the jobs of `jobPathAllowList`, which
/// keeps label cardinality bounded by configuration, not by history.
public enum DomainMetrics {
    public static func families(_ rows: some Sequence<DailyUsage>, jobPathAllowList: Set<String> = []) -> [MetricFamily] {
        var groups: [SeriesKey: DailyUsage] = [:]
        for row in rows {
            let key = SeriesKey(team: row.key.team, namespace: row.key.namespace, vendor: row.key.vendor,
                                jobPath: jobPathAllowList.contains(row.key.jobPath) ? row.key.jobPath : nil)
            groups[key, default: DailyUsage(key: row.key)].add(row)
        }
        let series = groups.sorted { $0.key < $1.key }

        func counter(_ name: String, _ prometheus: String, _ unit: String, _ help: String, _ value: (DailyUsage) -> Double) -> MetricFamily {
            MetricFamily(name: name, prometheusName: prometheus, unit: unit, kind: .counter, help: help,
                         points: series.map { MetricPoint($0.key.attributes, .number(value($0.value))) })
        }
        func byState(_ states: [(String, (DailyUsage) -> MetricPoint.Value)]) -> [MetricPoint] {
            series.flatMap { key, usage in
                states.map { state, value in MetricPoint(key.attributes + [MetricAttribute("state", state)], value(usage)) }
            }
        }
        return [
            counter("sk8.executions.submitted", "sk8_executions_submitted_total", "{execution}",
                    "Executions submitted (with a SUBMIT event).") { Double($0.executions) },
            MetricFamily(name: "sk8.executions.finished", prometheusName: "sk8_executions_finished_total", unit: "{execution}",
                         kind: .counter, help: "Executions that reached a final state, by state.",
                         points: byState([("SUCCEEDED", { .number(Double($0.succeeded)) }),
                                          ("FAILED", { .number(Double($0.failed)) }),
                                          ("CANCELLED", { .number(Double($0.cancelled)) })])),
            MetricFamily(name: "sk8.executions.active", prometheusName: "sk8_executions_active", unit: "{execution}",
                         kind: .gauge, help: "Executions not yet final, by state.",
                         points: byState([("SUBMITTED", { .number(Double($0.activeSubmitted)) }),
                                          ("RUNNING", { .number(Double($0.activeRunning)) })])),
            MetricFamily(name: "sk8.execution.duration", prometheusName: "sk8_execution_duration_seconds", unit: "s",
                         kind: .histogram, help: "Duration of finished executions (end minus start, or submit), by final state.",
                         points: byState([("SUCCEEDED", { .histogram(HistogramValue($0.succeededDurations)) }),
                                          ("FAILED", { .histogram(HistogramValue($0.failedDurations)) }),
                                          ("CANCELLED", { .histogram(HistogramValue($0.cancelledDurations)) })])),
            MetricFamily(name: "sk8.execution.queue_time", prometheusName: "sk8_execution_queue_time_seconds", unit: "s",
                         kind: .histogram, help: "Time from SUBMIT to RUNNING.",
                         points: series.map { MetricPoint($0.key.attributes, .histogram(HistogramValue($0.value.queueTimes))) }),
            counter("sk8.execution.cost", "sk8_execution_cost_usd_total", "USD",
                    "Cost of executions (contract section 6), US dollars.") { $0.costUSD },
            counter("sk8.shuffle.read", "sk8_shuffle_read_bytes_total", "By", "Shuffle bytes read.") { Double($0.shuffleReadBytes) },
            counter("sk8.shuffle.write", "sk8_shuffle_write_bytes_total", "By", "Shuffle bytes written.") { Double($0.shuffleWriteBytes) },
            counter("sk8.shuffle.fetch_failures", "sk8_shuffle_fetch_failures_total", "{failure}",
                    "Shuffle fetch failures.") { Double($0.shuffleFetchFailures) },
            counter("sk8.tasks", "sk8_tasks_total", "{task}", "Spark tasks run.") { Double($0.tasks) },
            counter("sk8.tasks.failed", "sk8_tasks_failed_total", "{task}", "Spark tasks that failed.") { Double($0.failedTasks) },
            counter("sk8.executors.added", "sk8_executors_added_total", "{executor}", "Executors added.") { Double($0.executorsAdded) },
            counter("sk8.executors.removed", "sk8_executors_removed_total", "{executor}", "Executors removed.") { Double($0.executorsRemoved) },
        ]
    }

    /// The attributes of one series: team, namespace, vendor, and job_path when allowed.
    struct SeriesKey: Hashable, Comparable {
        var team: String
        var namespace: String
        var vendor: String
        var jobPath: String?

        var attributes: [MetricAttribute] {
            var attributes = [MetricAttribute("team", team), MetricAttribute("namespace", namespace), MetricAttribute("vendor", vendor)]
            if let jobPath { attributes.append(MetricAttribute("job_path", jobPath)) }
            return attributes
        }

        static func < (a: SeriesKey, b: SeriesKey) -> Bool {
            (a.team, a.namespace, a.vendor, a.jobPath ?? "") < (b.team, b.namespace, b.vendor, b.jobPath ?? "")
        }
    }
}
