import Foundation
import Vapor

/// Double-submit CSRF protection: a random token in a SameSite=Strict, HttpOnly cookie must come back with every
/// state-changing request, as the `_csrf` form field, the `X-CSRF-Token` header, or (for streamed uploads) a query item.
struct CSRFMiddleware: AsyncMiddleware {
    static let safeMethods: [HTTPMethod] = [.GET, .HEAD, .OPTIONS]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let existing = request.cookies[SecurityConfiguration.csrfCookie].map(\.string).flatMap { $0.count >= 40 ? $0 : nil }
        let token = existing ?? SecureToken.make()
        request.storage[CSRFTokenKey.self] = token
        if !Self.safeMethods.contains(request.method) {
            let sent = try await submittedToken(request)
            guard let existing, let sent, SecureToken.equal(sent, existing) else {
                request.logger.warning("CSRF token missing or wrong", metadata: ["path": .string(request.url.path)])
                throw Abort(.forbidden, reason: "页面已过期或无法确认请求来源（缺少安全令牌）。请返回上一页，刷新后重新提交；已填写的内容在返回后仍在页面上。")
            }
        }
        let response = try await next.respond(to: request)
        if existing == nil, response.cookies[SecurityConfiguration.csrfCookie] == nil {
            response.cookies[SecurityConfiguration.csrfCookie] = request.security.cookie(token, sameSite: .strict)
        }
        return response
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
}
