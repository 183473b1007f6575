import NIOCore
import Synchronization
import Testing
import _ConnectionPoolModule

@testable import WenwexRouting
@testable import WenwexSQL

/// The health rules as a state machine, without a server: time is an input, so accrual windows
/// and adaptive timeouts are checked exactly and at once.
@Suite("Node health transitions")
struct NodeHealthTests {
    let start = ContinuousClock.now

    func policy(
        floor: Duration = .seconds(1),
        threshold: Int = 3,
        window: Duration = .seconds(10),
        limit: Duration = .seconds(30)
    ) -> HealthPolicy {
        var options = RoutingOptions()
        options.probeTimeout = floor
        options.failureThreshold = threshold
        options.failureWindow = window
        options.unresponsiveLimit = limit
        return HealthPolicy(options)
    }

    @Test func oneSlowProbeDegradesAReplicaWithoutEjectingIt() {
        var health = NodeHealth(role: .replica, policy: policy())
        health.probeIsSlow(at: start)
        #expect(health.isReachable, "a slow replica keeps its pool")
        #expect(health.isDegraded)
        #expect(!health.isAvailable, "a slow replica gets no new reads")
        #expect(health.ejectionReason?.hasPrefix("degraded") == true)
        health.probeSucceeded(latency: .seconds(2))
        #expect(health.isAvailable && !health.isDegraded)
    }

    @Test func aSlowPrimaryKeepsTakingWrites() {
        var health = NodeHealth(role: .primary, policy: policy())
        health.probeIsSlow(at: start)
        #expect(health.isDegraded)
        #expect(health.isAvailable)
        #expect(health.ejectionReason == nil)
    }

    @Test func failedProbesAccrueToTheThresholdBeforeEjecting() {
        var health = NodeHealth(role: .primary, policy: policy(threshold: 3))
        health.probeFailed(.node, reason: "starting up", at: start)
        health.probeFailed(.node, reason: "starting up", at: start + .milliseconds(250))
        #expect(health.isAvailable, "two failures are below the threshold")
        health.probeFailed(.node, reason: "starting up", at: start + .milliseconds(500))
        #expect(!health.isReachable)
        #expect(health.ejectionReason?.contains("3 probes failed in a row") == true)
    }

    @Test func aSuccessBetweenFailuresStartsTheCountAgain() {
        var health = NodeHealth(role: .replica, policy: policy(threshold: 3))
        health.probeFailed(.node, reason: "x", at: start)
        health.probeFailed(.node, reason: "x", at: start + .seconds(1))
        health.probeSucceeded(latency: .milliseconds(5))
        health.probeFailed(.node, reason: "x", at: start + .seconds(2))
        health.probeFailed(.node, reason: "x", at: start + .seconds(3))
        #expect(health.isAvailable)
        #expect(health.consecutiveFailures == 2)
    }

    @Test func failuresFurtherApartThanTheWindowDoNotAddUp() {
        var health = NodeHealth(role: .replica, policy: policy(threshold: 3, window: .seconds(10)))
        health.probeFailed(.node, reason: "x", at: start)
        health.probeFailed(.node, reason: "x", at: start + .seconds(6))
        health.probeFailed(.node, reason: "x", at: start + .seconds(12))
        #expect(health.isAvailable, "the first failure fell out of the window")
        #expect(health.consecutiveFailures == 1)
    }

    @Test func aConnectionLevelFailureEjectsAtOnce() {
        var health = NodeHealth(role: .replica, policy: policy(threshold: 3))
        health.probeFailed(.connection, reason: "connection refused", at: start)
        #expect(!health.isReachable)
        #expect(health.ejectionReason == "connection refused")
    }

    @Test func aProbeUnansweredForTheLimitMeansGone() {
        var health = NodeHealth(role: .primary, policy: policy(limit: .seconds(30)))
        health.probeIsSlow(at: start)
        #expect(health.isAvailable)
        health.probeUnanswered()
        #expect(!health.isReachable)
        #expect(health.ejectionReason == "no answer for 30 s")
    }

    @Test func reAdmissionWaitsForASuccessfulProbeAfterTheFailure() {
        var health = NodeHealth(role: .replica, policy: policy())
        health.probeSucceeded(latency: .milliseconds(3))
        health.requestFailed(reason: "connection reset by peer")
        #expect(!health.isReachable)
        #expect(!health.probeSucceededSinceDown, "a success from before the failure does not count")
        health.probeFailed(.connection, reason: "connection refused", at: start)
        #expect(!health.probeSucceededSinceDown)
        health.probeSucceeded(latency: .milliseconds(3))
        #expect(health.probeSucceededSinceDown)
        #expect(!health.isReachable, "only the supervisor re-admits, after swapping the pool")
        health.readmit()
        #expect(health.isAvailable)
        #expect(health.ejectionReason == nil)
    }

    @Test func theFirstReasonForGoingDownIsKept() {
        var health = NodeHealth(role: .replica, policy: policy())
        health.requestFailed(reason: "server closed the connection")
        health.probeFailed(.connection, reason: "connection refused", at: start)
        #expect(health.ejectionReason == "server closed the connection")
    }

    @Test func roleAndLagReasonsEjectWhileTheNodeAnswers() {
        var health = NodeHealth(role: .replica, policy: policy())
        health.roleOrLagReason = "not in recovery: promoted or not a replica"
        #expect(health.isReachable && !health.isAvailable)
    }

    @Test func theProbeTimeoutFollowsTheNodesRecentLatency() {
        var health = NodeHealth(role: .replica, policy: policy(floor: .seconds(1), limit: .seconds(30)))
        #expect(health.probeTimeout == .seconds(1), "the floor before any sample")
        for _ in 0..<50 { health.probeSucceeded(latency: .milliseconds(2)) }
        #expect(health.probeTimeout == .seconds(1), "fast nodes keep the floor")
        for _ in 0..<100 { health.probeSucceeded(latency: .milliseconds(900)) }
        #expect(health.probeTimeout == .milliseconds(3_600), "4 × the p99 of 900 ms")
        for _ in 0..<100 { health.probeSucceeded(latency: .seconds(20)) }
        #expect(health.probeTimeout == .seconds(30), "never above the unresponsive limit")
    }

    @Test func theLatencyWindowReportsItsNinetyNinthPercentile() {
        var window = LatencyWindow()
        #expect(window.p99 == nil)
        for millisecond in 1...100 { window.record(.milliseconds(millisecond)) }
        #expect(window.p99 == .milliseconds(99))
        for _ in 0..<100 { window.record(.milliseconds(7)) }
        #expect(window.p99 == .milliseconds(7), "old samples leave the window")
    }

    @Test func durationsReadWellInHealthMessages() {
        #expect(Duration.milliseconds(250).formattedForHealth == "250 ms")
        #expect(Duration.seconds(30).formattedForHealth == "30 s")
        #expect(Duration.milliseconds(1_500).formattedForHealth == "1.5 s")
    }
}

@Suite("Failure kinds")
struct FailureKindTests {
    @Test func connectionLevelErrorsOfTheDriverAndNIO() {
        #expect(FailureKind(ConnectionPoolError.poolShutdown) == .connection)
        #expect(FailureKind(ConnectionPoolError.connectionCreationCircuitBreakerTripped) == .connection)
        #expect(FailureKind(ChannelError.ioOnClosedChannel) == .connection)
        #expect(FailureKind(ChannelError.eof) == .connection)
        #expect(FailureKind(IOError(errnoCode: 111, reason: "connect")) == .connection)
        // A session that found its connection closed before sending: a read moves elsewhere.
        #expect(FailureKind(DatabaseConnectionLost()) == .connection)
    }

    @Test func aConnectTimeoutAccruesInsteadOfEjecting() {
        #expect(FailureKind(ChannelError.connectTimeout(.seconds(2))) == .node)
    }

    @Test func cancellationAndOtherErrorsAreTheStatements() {
        #expect(FailureKind(ConnectionPoolError.requestCancelled) == .statement)
        #expect(FailureKind(CancellationError()) == .statement)
        #expect(FailureKind(RoutingConfigurationError(description: "x")) == .statement)
    }
}

@Suite("Choosing a node")
struct NodeChoiceTests {
    /// Holds `count` requests in flight on `state` until the returned closure is called.
    func occupy(_ state: NodeState, _ count: Int) async -> @Sendable () async -> Void {
        let released = Flag()
        let signal = ChangeSignal()
        let task = Task {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<count {
                    group.addTask { await state.tracking { await signal.wait { released.isSet } } }
                }
            }
        }
        while state.outstanding < count { await Task.yield() }
        return {
            released.set()
            signal.notify()
            await task.value
        }
    }

    @Test func theLessLoadedOfTwoCandidatesIsChosen() async {
        let busy = NodeState(name: "busy", role: .replica)
        let idle = NodeState(name: "idle", role: .replica)
        let release = await occupy(busy, 3)
        for _ in 0..<50 {
            let chosen = pickLeastLoaded([busy, idle], state: { $0 }, where: { _ in true })
            #expect(chosen === idle)
        }
        await release()
        #expect(busy.outstanding == 0)
    }

    @Test func ineligibleNodesAreNeverChosen() {
        let nodes = (1...5).map { NodeState(name: "replica\($0)", role: .replica) }
        for _ in 0..<200 {
            let chosen = pickLeastLoaded(nodes, state: { $0 }, where: { $0.name != "replica3" })
            #expect(chosen != nil && chosen?.name != "replica3")
        }
        #expect(pickLeastLoaded(nodes, state: { $0 }, where: { _ in false }) == nil)
    }

    @Test func everyEligibleNodeGetsChosenEventually() {
        let nodes = (1...4).map { NodeState(name: "replica\($0)", role: .replica) }
        var chosen = Set<String>()
        for _ in 0..<400 {
            if let node = pickLeastLoaded(nodes, state: { $0 }, where: { _ in true }) { chosen.insert(node.name) }
        }
        #expect(chosen.count == 4)
    }
}

@Suite("Consistency tokens")
struct ConsistencyTokenUnitTests {
    @Test func anInsertPositionPastAPageHeaderStepsBackToThePageBoundary() {
        let page: UInt64 = 8192
        let segment: UInt64 = 16 << 20
        #expect(
            ConsistencyToken.afterInsert(at: 3 * page + 24, pageSize: page, segmentSize: segment).position == 3 * page
        )
        #expect(
            ConsistencyToken.afterInsert(at: 2 * segment + 40, pageSize: page, segmentSize: segment).position == 2
                * segment
        )
        #expect(
            ConsistencyToken.afterInsert(at: 3 * page + 100, pageSize: page, segmentSize: segment).position == 3 * page
                + 100
        )
    }
}

@Suite("Change signals")
struct ChangeSignalTests {
    @Test func aWaiterWakesWhenItsConditionBecomesTrue() async {
        let signal = ChangeSignal()
        let flag = Flag()
        let waiter = Task { await signal.wait { flag.isSet } }
        try? await Task.sleep(for: .milliseconds(20))
        flag.set()
        signal.notify()
        await waiter.value
        #expect(flag.isSet)
    }

    @Test func aWaiterReturnsWhenItsTaskIsCancelled() async {
        let signal = ChangeSignal()
        let waiter = Task { await signal.wait { false } }
        try? await Task.sleep(for: .milliseconds(20))
        waiter.cancel()
        await waiter.value
        #expect(waiter.isCancelled)
    }

    @Test func aBoundedWaitEndsAfterItsDuration() async {
        let signal = ChangeSignal()
        let elapsed = await ContinuousClock().measure { await signal.wait(atMost: .milliseconds(30)) }
        #expect(elapsed >= .milliseconds(30))
        // Only "it ends": a full parallel run on two cores has delayed a 30 ms wake-up by 6 s.
        #expect(elapsed < .seconds(30))
    }
}

/// A thread-safe flag for the signal tests.
final class Flag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .relaxed) }
    func set() { value.store(true, ordering: .relaxed) }
}
