import HTTPTypes
import Synchronization

/// What the edge answers without suspending: a guard's refusal or a conditional or range answer
/// made for this request, or a stored response replayed whole, which ``WireAnswer`` writes from
/// the bytes rendered when it was stored.
enum ImmediateAnswer {
    case made(EdgeAnswer, method: HTTPRequest.Method)
    case stored(StoredResponse, age: Double, method: HTTPRequest.Method)
}

extension EdgeProxy {
    /// The answer to a request when it is a fresh hit or a guard refuses it, decided without
    /// suspending; `nil` sends it to ``respond(to:context:)``.
    ///
    /// Called on the connection's event loop by ``WireHits``. Only the common hit is taken
    /// here: no request `Cache-Control` or `Pragma`, every guard able to decide now, the
    /// response in the memory tier and fresh. The rest (revalidation, stale serving, the disk
    /// tier, misses) needs the origin or the disk and takes the asynchronous path. When the
    /// guards have run and let the request on, their result travels with it (`connection`
    /// names it in ``GuardedHandoff``) so they never run twice.
    func answerWithoutWaiting(
        _ method: HTTPRequest.Method,
        _ target: String,
        _ headers: HTTPFields,
        clientAddress: String,
        connection: ObjectIdentifier
    ) -> ImmediateAnswer? {
        guard method == .get || method == .head, headers[.cacheControl] == nil, headers[.pragma] == nil,
            !configuration.isPurge(target)
        else { return nil }
        var guarded = GuardedRequest(method: method, target: target, headers: headers, clientAddress: clientAddress)
        switch guards.runWithoutWaiting(&guarded) {
        case .mustWait: return nil
        case .answer(let answer):
            eventLoopAnswers.add(1, ordering: .relaxed)
            return .made(answer, method: method)
        case .proceed: break
        }
        if let stored = cache.lookup(target, requestHeaders: guarded.headers),
            stored.serves(method, guarded.headers)
        {
            let age = stored.currentAge(at: HTTPDate.now)
            if age < stored.policy.lifetime, !stored.policy.requiresRevalidation {
                eventLoopAnswers.add(1, ordering: .relaxed)
                if StoredAnswer.replaysWhole(stored, guarded.headers) {
                    return .stored(stored, age: age, method: method)
                }
                return .made(
                    StoredAnswer.answer(stored, age: age, method: method, request: guarded.headers),
                    method: method
                )
            }
        }
        guardedHandoff.hold(guarded, for: connection)
        return nil
    }
}

/// A request's guard result, from the event loop that ran the guards to the responder that
/// answers the request: one per connection, since a connection's next request is passed on
/// only after the one before it was answered.
final class GuardedHandoff: Sendable {
    private let held = Mutex<[ObjectIdentifier: GuardedRequest]>([:])

    func hold(_ request: GuardedRequest, for connection: ObjectIdentifier) {
        held.withLock { $0[connection] = request }
    }

    func take(_ connection: ObjectIdentifier) -> GuardedRequest? {
        held.withLock { $0.removeValue(forKey: connection) }
    }

    /// Drops what a closed connection left.
    func forget(_ connection: ObjectIdentifier) {
        _ = take(connection)
    }
}
