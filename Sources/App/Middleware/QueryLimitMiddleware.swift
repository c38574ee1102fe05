import PolicyKit
import Vapor

/// No query parameter of any route is longer than `TextLimits.shortText` (a `next` path may be 500 bytes): a 50 kB
/// search keyword is refused with a Chinese message (422, naming the parameter) before it reaches a query.
struct QueryLimitMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let query = request.url.query, query.utf8.count > TextLimits.shortText {
            for item in URLComponents(string: "?" + query)?.queryItems ?? [] {
                let limit = item.name == "next" ? 500 : TextLimits.shortText
                if let value = item.value, value.count > limit {
                    throw Abort(.unprocessableEntity, reason: "查询参数“\(String(item.name.prefix(40)))”过长（\(value.count) 个字），不能超过 \(limit) 个字")
                }
            }
        }
        return try await next.respond(to: request)
    }
}
