import Logging
import Synchronization
import Testing

@testable import WenwexStorage

/// The purge fan-out: retries, its bound on attempts, and no event left behind after a flush.
@Suite("Purge publisher")
struct PurgePublisherTests {
    /// The publisher logs each event it gives up on; these tests give up on purpose.
    static let quiet: Logger = {
        var logger = Logger(label: "purge-tests")
        logger.logLevel = .critical
        return logger
    }()

    /// Fails its first `failures` deliveries, then accepts; counts every call.
    final class CountingSink: PurgeSink {
        let calls = Mutex(0)
        let failures: Int

        init(failures: Int = 0) { self.failures = failures }

        struct Refused: Error {}

        func deliver(_ event: PurgeEvent) async throws {
            let call = calls.withLock { calls in
                calls += 1
                return calls
            }
            if call <= failures { throw Refused() }
        }
    }

    @Test func aFailingDeliveryIsRetriedUntilItsAttemptsRunOut() async {
        let flaky = CountingSink(failures: 2)
        let refusing = CountingSink(failures: .max)
        let publisher = PurgePublisher(sinks: [flaky, refusing], attempts: 3, logger: Self.quiet)
        publisher.publish(PurgeEvent(tags: ["image-a"], reason: "test"))
        await publisher.flush()
        #expect(flaky.calls.withLock { $0 } == 3, "two failures, then delivered")
        #expect(refusing.calls.withLock { $0 } == 3, "given up after three attempts")
    }

    @Test func fewerThanOneAttemptMeansOneAndNothingIsLeftInFlight() async {
        let sink = CountingSink(failures: .max)
        let publisher = PurgePublisher(sinks: [sink], attempts: 0, logger: Self.quiet)
        for index in 0..<200 { publisher.publish(PurgeEvent(tags: ["image-\(index)"], reason: "test")) }
        await publisher.flush()
        #expect(sink.calls.withLock { $0 } == 200, "one attempt each")
        #expect(publisher.pending == 0, "every finished delivery left the in-flight table")
    }
}
