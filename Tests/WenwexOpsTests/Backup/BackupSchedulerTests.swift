import Foundation
import Synchronization
import Testing
import WenwexTestSupport

@testable import WenwexOps

@Suite("Backup schedule") struct BackupSchedulerTests {
    final class Recorder: Sendable {
        let events = Mutex<[BackupScheduler<ManualClock>.Event]>([])
        let running = Atomic<Int>(0)
        let maxRunning = Atomic<Int>(0)
        func record(_ event: BackupScheduler<ManualClock>.Event) { events.withLock { $0.append(event) } }
        var all: [BackupScheduler<ManualClock>.Event] { events.withLock { $0 } }
        var runs: Int { all.filter { if case .started = $0 { true } else { false } }.count }
    }

    func waitUntil(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition() {
            guard ContinuousClock.now < deadline else { throw CancellationError() }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    @Test func firesEveryIntervalAndWaitsOutARecentBackup() async throws {
        let clock = ManualClock()
        let recorder = Recorder()
        let scheduler = BackupScheduler(
            every: .seconds(3600),
            clock: clock,
            lastRunAge: { .seconds(1800) },
            onEvent: recorder.record,
            job: {}
        )
        let task = Task { try await scheduler.run() }
        defer { task.cancel() }
        #expect(await clock.waitForSleepers())
        clock.advance(by: .seconds(1799))
        try await Task.sleep(for: .milliseconds(50))
        #expect(recorder.runs == 0, "the last backup is 30 minutes old: the first run is 30 minutes away")
        clock.advance(by: .seconds(1))
        try await waitUntil { recorder.runs == 1 && clock.sleeperCount == 1 }
        for hour in 2...4 {
            clock.advance(by: .seconds(3600))
            try await waitUntil { recorder.runs == hour && clock.sleeperCount == 1 }
        }
        #expect(!recorder.all.contains(.catchingUp))
    }

    @Test func aMissedRunIsCaughtUpAtStart() async throws {
        let clock = ManualClock()
        let recorder = Recorder()
        let scheduler = BackupScheduler(
            every: .seconds(3600),
            clock: clock,
            lastRunAge: { .seconds(5 * 3600) },
            onEvent: recorder.record,
            job: {}
        )
        let task = Task { try await scheduler.run() }
        defer { task.cancel() }
        try await waitUntil { recorder.runs == 1 }
        #expect(recorder.all.first == .catchingUp)
        #expect(clock.now.offset == .zero, "ran without the clock moving")
    }

    @Test func runsNeverOverlapAndSlotsPassedDuringALongRunAreSkipped() async throws {
        let clock = ManualClock()
        let recorder = Recorder()
        let release = Mutex<CheckedContinuation<Void, Never>?>(nil)
        let scheduler = BackupScheduler(
            every: .seconds(3600),
            clock: clock,
            lastRunAge: { nil },
            onEvent: recorder.record,
            job: {
                let now = recorder.running.add(1, ordering: .relaxed).newValue
                recorder.maxRunning.max(now, ordering: .relaxed)
                if recorder.runs == 1 {
                    // The first run takes 3.5 hours of clock time.
                    await withCheckedContinuation { continuation in release.withLock { $0 = continuation } }
                }
                recorder.running.subtract(1, ordering: .relaxed)
            }
        )
        let task = Task { try await scheduler.run() }
        defer { task.cancel() }
        try await waitUntil { release.withLock { $0 != nil } }
        clock.advance(by: .seconds(3 * 3600 + 1800))
        try await Task.sleep(for: .milliseconds(50))
        #expect(recorder.runs == 1, "no second run starts while the first is going")
        release.withLock { $0?.resume() }
        try await waitUntil { clock.sleeperCount == 1 }
        #expect(recorder.all.contains(.skipped(3)), "\(recorder.all)")
        // The next run is at the next slot (4 h), not at once.
        #expect(recorder.runs == 1)
        clock.advance(by: .seconds(1800))
        try await waitUntil { recorder.runs == 2 }
        #expect(recorder.maxRunning.load(ordering: .relaxed) == 1)
    }

    @Test func aFailedRunDoesNotStopTheSchedule() async throws {
        struct Boom: Error {}
        let clock = ManualClock()
        let recorder = Recorder()
        let scheduler = BackupScheduler(
            every: .seconds(60),
            jitter: .seconds(30),
            clock: clock,
            lastRunAge: { nil },
            onEvent: recorder.record,
            randomFraction: { 0.5 },
            job: { throw Boom() }
        )
        let task = Task { try await scheduler.run() }
        defer { task.cancel() }
        #expect(await clock.waitForSleepers())
        clock.advance(by: .seconds(15))
        try await waitUntil { recorder.all.contains(.finished(1, failed: true)) && clock.sleeperCount == 1 }
        clock.advance(by: .seconds(59))
        try await Task.sleep(for: .milliseconds(50))
        #expect(recorder.runs == 1, "jitter: the second run is at 60 + 15 s")
        clock.advance(by: .seconds(1))
        try await waitUntil { recorder.runs == 2 }
    }
}
