import Fluent
import Foundation
import PolicyKit
import Vapor

/// The signed-in user of a request.
struct CurrentUser: Authenticatable {
    let user: User
    let sessionID: String
    /// A step still to pass before the session may do anything else (`SignInStep`).
    var pendingStep: SignInStep? = nil

    var role: Role { user.role }
}

/// Reads the session cookie, enforces idle and absolute expiry, and signs the user in for the request.
struct SessionAuthenticator: AsyncMiddleware {
    let configuration: SecurityConfiguration

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        var staleCookie = false
        let cookieName = configuration.sessionCookie(request)
        if let token = request.cookies[cookieName]?.string {
            let id = SecureToken.digest(token)
            if let session = try await UserSession.query(on: request.db).filter(\.$id == id).with(\.$user).first() {
                let now = Date()
                let expired = now.timeIntervalSince(session.lastSeenAt) > configuration.sessionIdleTimeout
                    || now.timeIntervalSince(session.createdAt) > configuration.sessionMaximumAge
                    || session.user.disabledAt != nil
                if expired {
                    try await session.delete(on: request.db)
                    staleCookie = true
                } else {
                    // Writing on every request would make each page view a database write.
                    if now.timeIntervalSince(session.lastSeenAt) > 60 {
                        session.lastSeenAt = now
                        try await session.update(on: request.db)
                    }
                    request.auth.login(CurrentUser(user: session.user, sessionID: id, pendingStep: session.pendingStep))
                }
            } else {
                staleCookie = true
            }
        }
        let response = try await next.respond(to: request)
        if staleCookie, response.cookies[cookieName] == nil {
            response.cookies[cookieName] = .expired
        }
        return response
    }
}

extension Request {
    var security: SecurityConfiguration { application.settings.security }

    /// The client's address for throttling; a proxy's forwarded address only when the proxy is trusted.
    var clientAddress: String {
        if Environment.get("JIGAI_TRUST_PROXY") == "1", let forwarded = headers.first(name: "X-Forwarded-For")?.split(separator: ",").last {
            return forwarded.trimmingCharacters(in: .whitespaces)
        }
        return remoteAddress?.ipAddress ?? "unknown"
    }

    /// Signs `user` in with a new session id (the one the request came with is deleted); returns the session's
    /// CSRF token for API clients.
    @discardableResult
    func startSession(for user: User, pendingStep: SignInStep? = nil, on response: Response) async throws -> String {
        if let old = cookies[security.sessionCookie(self)]?.string {
            try await UserSession.query(on: db).filter(\.$id == SecureToken.digest(old)).delete()
        }
        let token = SecureToken.make()
        let session = UserSession(
            id: SecureToken.digest(token), userID: try user.requireID(), now: Date(), address: clientAddress,
            userAgent: headers.first(name: .userAgent).map { String($0.prefix(300)) }, pendingStep: pendingStep)
        try await session.create(on: db)
        response.cookies[security.sessionCookie(self)] = security.cookie(token, for: self, sameSite: .lax)
        auth.login(CurrentUser(user: user, sessionID: session.id!, pendingStep: pendingStep))
        renewCSRFToken(sessionID: session.id!)
        return csrfToken
    }

    /// Moves the session on to its next sign-in step, or completes it.
    func setPendingStep(_ step: SignInStep?) async throws {
        let current = try auth.require(CurrentUser.self)
        guard let session = try await UserSession.find(current.sessionID, on: db) else { throw Abort(.unauthorized, reason: "请先登录") }
        session.pendingStep = step
        try await session.save(on: db)
        var updated = current
        updated.pendingStep = step
        auth.login(updated)
    }

    func endSession(on response: Response) async throws {
        if let current = auth.get(CurrentUser.self) {
            try await UserSession.query(on: db).filter(\.$id == current.sessionID).delete()
        }
        response.cookies[security.sessionCookie(self)] = .expired
        auth.logout(CurrentUser.self)
    }

    /// Ends every session of the user: after a password change all other devices must sign in again.
    func endAllSessions(of user: User) async throws {
        try await UserSession.query(on: db).filter(\.$user.$id == user.requireID()).delete()
    }
}

/// Requires a signed-in user with one of `roles`; others are sent to the sign-in page (pages) or refused (API).
/// A session with a step still to pass (second factor, enrolment, password change) is sent to that step's page.
struct RoleGuard: AsyncMiddleware {
    let roles: Set<Role>

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let current = request.auth.get(CurrentUser.self) else {
            if request.url.path.hasPrefix("/api/") { throw Abort(.unauthorized, reason: "请先登录") }
            let target = request.url.path + (request.url.query.map { "?" + $0 } ?? "")
            return request.redirect(to: SiteURL.login.path + "?next=" + (target.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "/"))
        }
        if let step = current.pendingStep {
            if request.url.path.hasPrefix("/api/") { throw Abort(.forbidden, reason: "登录尚未完成：" + step.explanation) }
            return request.redirect(to: SiteURL.signInStep(step).path)
        }
        guard roles.contains(current.role) else {
            throw Abort(.forbidden, reason: "当前账号（\(current.role.label)）无权访问此页面")
        }
        return try await next.respond(to: request)
    }
}

/// Requires a completely signed-in administrator whose duty this is under the security profile (三权分立).
struct DutyGuard: AsyncMiddleware {
    let duty: AdministrativeDuty

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        try await RoleGuard(roles: Set(Role.allCases)).respond(to: request, chainingTo: AsyncBasicResponder { request in
            let profile = request.security.profile
            let role = try request.auth.require(CurrentUser.self).role
            guard profile.allows(role, duty) else {
                let holders = Role.allCases.filter { profile.allows($0, duty) }.map(\.label).joined(separator: "或")
                throw Abort(.forbidden, reason: "当前账号（\(role.label)）无权访问此页面：\(duty.label)由\(holders)办理" + (profile.separatesDuties ? "（三权分立）" : ""))
            }
            return try await next.respond(to: request)
        })
    }
}

/// The pages of one sign-in step: reachable by a session waiting at that step, and (for enrolment and the password)
/// by a signed-in user doing it of their own accord.
struct SignInStepGuard: AsyncMiddleware {
    let step: SignInStep

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let current = request.auth.get(CurrentUser.self) else { return request.redirect(to: SiteURL.login.path) }
        switch current.pendingStep {
        case step?: return try await next.respond(to: request)
        case let other?: return request.redirect(to: SiteURL.signInStep(other).path)
        case nil where step == .secondFactor: return request.redirect(to: AccountController.home(for: current.role))
        case nil: return try await next.respond(to: request)
        }
    }
}
