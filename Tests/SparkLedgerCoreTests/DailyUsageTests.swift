import SparkLedgerCore
import Testing

/// Contract §7, plus the histogram and gauge columns the metrics of §8 are derived from.
@Suite struct DailyUsageTests {
    typealias F = EventFactory
    let prices = PriceConfiguration.openCostDefaults

    private func contribution(_ events: ExecutionEvent...) -> UsageContribution? {
        UsageContribution(snapshot: ExecutionFold.fold(executionID: "exec-1", events: events), prices: prices)
    }

    @Test func executionsWithoutSubmitHaveNoDay() {
        #expect(contribution(F.running(0), F.terminal(10, "SUCCEEDED")) == nil)
    }

    @Test func keyIsTheUTCDayOfSubmit() throws {
        // F.base = 2026-09-21T14:13:20Z; +10 h crosses midnight UTC.
        let c = try #require(contribution(F.submit(10 * 3_600_000)))
        #expect(c.key.day.description == "2026-09-22")
        #expect(c.key.team == "ads" && c.key.jobPath == "ads/etl/clicks" && c.key.namespace == "sjns-ads" && c.key.vendor == "SK8")
    }

    @Test func sumsOutcomesMoneyAndShuffle() throws {
        let metrics = #"{"executor_core_seconds":3600,"driver_core_seconds":360,"executor_memory_mb_seconds":1024,"driver_memory_mb_seconds":1024,"shuffle_read_bytes":100,"shuffle_write_bytes":50,"shuffle_fetch_failures":2,"memory_spill_bytes":999,"disk_spill_bytes":7,"tasks":10,"failed_tasks":1,"executors_added":4,"executors_removed":3}"#
        let ok = try #require(contribution(F.submit(0), F.running(10_000), F.metrics(70_000, metrics), F.terminal(100_000, "SUCCEEDED")))
        let failed = try #require(contribution(F.submit(0), F.running(40_000), F.terminal(160_000, "FAILED")))
        let cancelled = try #require(contribution(F.submit(0), F.cancel(5000)))
        let running = try #require(contribution(F.submit(0), F.running(1000)))
        let queued = try #require(contribution(F.submit(0)))
        let rows = DailyUsage.aggregate([ok, failed, cancelled, running, queued])
        #expect(rows.count == 1)
        let row = try #require(rows.first)
        #expect(row.executions == 5)
        #expect(row.succeeded == 1 && row.failed == 1 && row.cancelled == 1)
        #expect(row.activeRunning == 1 && row.activeSubmitted == 1)
        #expect(row.costUSD == ok.costUSD)
        #expect(row.coreSeconds == 3960)
        #expect(row.memoryGiBSeconds == 2)
        #expect(row.shuffleReadBytes == 100 && row.shuffleWriteBytes == 50 && row.shuffleFetchFailures == 2)
        #expect(row.spillBytes == 7)  // disk spill only
        #expect(row.tasks == 10 && row.failedTasks == 1)
        #expect(row.executorsAdded == 4 && row.executorsRemoved == 3)
        // Finished executions only: 90 s + 120 s + 5 s (cancelled while queued: from submit).
        #expect(row.durationMsSum == 215_000)
        #expect(row.durationCount == 3)
        // Queue time for the three that started: 10 s, 40 s, 1 s.
        #expect(row.queueMsSum == 51_000 && row.queueCount == 3)
    }

    @Test func histogramBucketsAreUpperInclusive() {
        var histogram = LatencyHistogram(boundsSeconds: LatencyHistogram.durationBoundsSeconds)
        histogram.record(milliseconds: 30_000)  // exactly 30 s: the 30 s bucket
        histogram.record(milliseconds: 30_001)  // the 60 s bucket
        histogram.record(milliseconds: 90_000_000)  // over a day: +Inf
        #expect(histogram.counts.count == 13)
        #expect(histogram.counts[0] == 1 && histogram.counts[1] == 1 && histogram.counts[12] == 1)
        #expect(LatencyHistogram.queueTimeBoundsSeconds == [5, 10, 30, 60, 120, 300, 600, 1800])
    }

    @Test func sumsSaturateInsteadOfTrapping() throws {
        let big = #"{"shuffle_read_bytes":9223372036854775807}"#
        let a = try #require(contribution(F.submit(0), F.metrics(10, big)))
        let rows = DailyUsage.aggregate([a, a])
        #expect(rows.first?.shuffleReadBytes == .max)
    }

    @Test func rowsSortByKeyAndRollUp() {
        let day = UTCDay(iso: "2026-10-01")!
        let keys = [
            DailyUsageKey(day: day, team: "b", jobPath: "j", namespace: "n", vendor: "SK8"),
            DailyUsageKey(day: day, team: "a", jobPath: "j", namespace: "n", vendor: "SK8"),
            DailyUsageKey(day: UTCDay(daysSinceEpoch: day.daysSinceEpoch - 1), team: "z", jobPath: "j", namespace: "n", vendor: "SK8"),
        ]
        let rows = DailyUsage.aggregate(keys.map { UsageContribution(key: $0, state: .succeeded, costUSD: 1) })
        #expect(rows.map(\.key.team) == ["z", "a", "b"])
        var total = DailyUsage(key: keys[0])
        for row in rows { total.add(row) }
        #expect(total.executions == 3 && total.succeeded == 3 && total.costUSD == 3)
    }
}

@Suite struct UTCDayTests {
    @Test func convertsBothWays() {
        #expect(UTCDay(containing: 0).description == "1970-01-01")
        #expect(UTCDay(containing: 946_684_800_000).description == "2000-01-01")
        #expect(UTCDay(containing: 1_793_491_199_999).description == "2026-10-31")
        #expect(UTCDay(containing: 1_793_491_200_000).description == "2026-11-01")
        #expect(UTCDay(iso: "2024-02-29")?.startMilliseconds == 1_709_164_800_000)
        #expect(UTCDay(containing: -1).description == "1969-12-31")
    }

    @Test func everyDayOfEightCenturiesReadsBackFromItsText() {
        // 1600-01-01 … 2400-12-31 (leap days, century years) through the parser, which checks
        // the digits against the calendar; then the ends of the digit-by-digit path and the
        // padded text beyond it.
        let first = UTCDay(year: 1600, month: 1, day: 1).daysSinceEpoch
        let last = UTCDay(year: 2400, month: 12, day: 31).daysSinceEpoch
        var mismatches: [String] = []
        for days in first...last {
            let day = UTCDay(daysSinceEpoch: days)
            let text = day.description
            if text.utf8.count != 10 || UTCDay(iso: text) != day { mismatches.append(text) }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
        #expect(UTCDay(year: 0, month: 1, day: 1).description == "0000-01-01")
        #expect(UTCDay(year: 9, month: 10, day: 7).description == "0009-10-07")
        #expect(UTCDay(year: 9999, month: 12, day: 31).description == "9999-12-31")
        #expect(UTCDay(year: 10000, month: 1, day: 1).description == "10000-01-01")
        #expect(UTCDay(year: 2400, month: 2, day: 29).description == "2400-02-29")
    }

    @Test func rejectsImpossibleDays() {
        for text in ["2026-02-29", "2026-13-01", "2026-00-10", "2026-1-01", "26-01-01", "2026-01-32", "yesterday", ""] {
            #expect(UTCDay(iso: text) == nil, "\(text)")
        }
    }
}
