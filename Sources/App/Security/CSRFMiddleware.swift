import Foundation
import Vapor

/// CSRF protection: every state-changing request carries a token, as the `_csrf` form field, the `X-CSRF-Token`
/// header, or (for streamed uploads) a query item. The token is an HMAC under the server key of the signed-in
/// session, or, before signing in, of a random SameSite=Strict cookie; so it cannot be invented, and a token
/// obtained in one session (or planted with a cookie) does not work in another.
struct CSRFMiddleware: AsyncMiddleware {
    static let safeMethods: [HTTPMethod] = [.GET, .HEAD, .OPTIONS]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let security = request.security
        let visitorCookie = security.csrfCookie(request)
        let existingVisitor = request.cookies[visitorCookie].map(\.string).flatMap { $0.count >= 40 ? $0 : nil }
        let visitor = existingVisitor ?? SecureToken.make()
        let current = request.auth.get(CurrentUser.self)
        request.storage[CSRFTokenKey.self] = current.map { security.csrfToken(boundTo: "session|" + $0.sessionID) }
            ?? security.csrfToken(boundTo: "visitor|" + visitor)
        if !Self.safeMethods.contains(request.method) {
            let sent = try await submittedToken(request)
            guard let sent, accepted(sent, request: request, visitor: existingVisitor) else {
                request.logger.warning("CSRF token missing or wrong", metadata: ["path": .string(request.url.path)])
                throw Abort(.forbidden, reason: "页面已过期或无法确认请求来源（缺少安全令牌）。请返回上一页，刷新后重新提交；已填写的内容在返回后仍在页面上。")
            }
        }
        let response = try await next.respond(to: request)
        if existingVisitor == nil, response.cookies[visitorCookie] == nil {
            response.cookies[visitorCookie] = security.cookie(visitor, for: request, sameSite: .strict)
        }
        return response
    }

    /// A signed-in request needs its session's token. Before signing in, the visitor cookie's token, or that of
    /// a session that has just lapsed (so that a form sent after the lapse reaches the sign-in page, not this refusal).
    private func accepted(_ sent: String, request: Request, visitor: String?) -> Bool {
        let security = request.security
        if let current = request.auth.get(CurrentUser.self) {
            return SecureToken.equal(sent, security.csrfToken(boundTo: "session|" + current.sessionID))
        }
        var bindings: [String] = []
        if let visitor { bindings.append("visitor|" + visitor) }
        if let lapsed = request.cookies[security.sessionCookie(request)]?.string { bindings.append("session|" + SecureToken.digest(lapsed)) }
        return bindings.contains { SecureToken.equal(sent, security.csrfToken(boundTo: $0)) }
    }

    private func submittedToken(_ request: Request) async throws -> String? {
        if let header = request.headers.first(name: SecurityConfiguration.csrfHeader) { return header }
        if let query = request.query[String.self, at: SecurityConfiguration.csrfField] { return query }
        guard request.headers.contentType == .urlEncodedForm else { return nil }
        if request.body.data == nil {
            _ = try await request.body.collect(max: 2 * 1024 * 1024).get()
        }
        // Read flat: the generated forms' field names contain brackets that Vapor's decoder would treat as nesting.
        return FormBody.parse(request.body.string ?? "")[SecurityConfiguration.csrfField]
    }
}

private struct CSRFTokenKey: StorageKey {
    typealias Value = String
}

extension Request {
    /// The CSRF token to put into forms rendered for this request.
    var csrfToken: String {
        storage[CSRFTokenKey.self] ?? ""
    }

    /// After signing in the session changes, and with it the token of the forms rendered next.
    func renewCSRFToken(sessionID: String) {
        storage[CSRFTokenKey.self] = security.csrfToken(boundTo: "session|" + sessionID)
    }
}
