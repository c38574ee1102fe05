import Fluent
import Foundation
import PolicyKit
import Vapor

/// The signed-in user of a request.
struct CurrentUser: Authenticatable {
    let user: User
    let sessionID: String

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
                    request.auth.login(CurrentUser(user: session.user, sessionID: id))
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
    func startSession(for user: User, on response: Response) async throws -> String {
        if let old = cookies[security.sessionCookie(self)]?.string {
            try await UserSession.query(on: db).filter(\.$id == SecureToken.digest(old)).delete()
        }
        let token = SecureToken.make()
        let session = UserSession(
            id: SecureToken.digest(token), userID: try user.requireID(), now: Date(), address: clientAddress,
            userAgent: headers.first(name: .userAgent).map { String($0.prefix(300)) })
        try await session.create(on: db)
        response.cookies[security.sessionCookie(self)] = security.cookie(token, for: self, sameSite: .lax)
        auth.login(CurrentUser(user: user, sessionID: session.id!))
        renewCSRFToken(sessionID: session.id!)
        return csrfToken
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
struct RoleGuard: AsyncMiddleware {
    let roles: Set<Role>

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let current = request.auth.get(CurrentUser.self) else {
            if request.url.path.hasPrefix("/api/") { throw Abort(.unauthorized, reason: "请先登录") }
            let target = request.url.path + (request.url.query.map { "?" + $0 } ?? "")
            return request.redirect(to: SiteURL.login.path + "?next=" + (target.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "/"))
        }
        guard roles.contains(current.role) else {
            throw Abort(.forbidden, reason: "当前账号（\(current.role.label)）无权访问此页面")
        }
        return try await next.respond(to: request)
    }
}
