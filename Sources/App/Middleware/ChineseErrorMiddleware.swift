import Vapor

/// Errors as users here expect them: a Chinese page for browsers, `{"error": true, "reason": …}` for the API.
/// Internal errors are logged, never shown.
struct ChineseErrorMiddleware: AsyncMiddleware {
    struct ErrorPage: Encodable {
        var chrome: Chrome
        var status: UInt
        var heading: String
        var reason: String
    }

    struct ErrorBody: Content {
        var error = true
        var reason: String
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let (status, reason) = describe(error, request: request)
            if status == .forbidden || (status == .notFound && request.auth.has(CurrentUser.self)) {
                try? await request.audit(.accessRefused, objectType: "路径", objectID: String(request.url.path.prefix(200)), after: "\(status.code) \(reason)")
            }
            let wantsJSON = request.url.path.hasPrefix("/api/") || request.headers.accept.mediaTypes.contains(.json) && !request.headers.accept.mediaTypes.contains(.html)
            if wantsJSON {
                let response = try await ErrorBody(reason: reason).encodeResponse(status: status, for: request)
                return response
            }
            let page = ErrorPage(chrome: request.chrome(Self.heading(status)), status: status.code, heading: Self.heading(status), reason: reason)
            let response = try await request.view.render("error", page).encodeResponse(status: status, for: request)
            return response
        }
    }

    func describe(_ error: Error, request: Request) -> (HTTPResponseStatus, String) {
        if let abort = error as? AbortError {
            let reason = abort.reason
            let isDefault = reason == abort.status.reasonPhrase || reason.unicodeScalars.allSatisfy(\.isASCII)
            if abort.status.code >= 500 {
                request.logger.report(error: error)
            }
            return (abort.status, isDefault ? Self.defaultReason(abort.status) : reason)
        }
        request.logger.report(error: error)
        return (.internalServerError, Self.defaultReason(.internalServerError))
    }

    static func heading(_ status: HTTPResponseStatus) -> String {
        switch status.code {
        case 400: "请求有误"
        case 401: "请先登录"
        case 403: "无权访问"
        case 404: "页面不存在"
        case 413: "文件过大"
        case 429: "操作过于频繁"
        case 500...: "系统错误"
        default: "无法完成请求"
        }
    }

    static func defaultReason(_ status: HTTPResponseStatus) -> String {
        switch status.code {
        case 400: "提交的内容格式有误，请检查后重试。"
        case 401: "请先登录。"
        case 403: "当前账号无权访问此内容。"
        case 404: "您访问的页面或内容不存在，或您无权查看。"
        case 405: "不支持此操作。"
        case 413: "提交的内容超过大小限制。"
        case 429: "操作过于频繁，请稍后再试。"
        case 500...: "系统暂时无法完成此操作，请稍后重试。如问题持续，请联系管理员。"
        default: "无法完成请求。"
        }
    }
}
