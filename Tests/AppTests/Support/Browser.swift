import Fluent
import Foundation
import PolicyKit
import Testing
import Vapor
import VaporTesting
@testable import App

/// A browser's cookie jar and CSRF token, enough to walk through forms as a person would.
struct Browser {
    var cookies: [String: String] = [:]
    /// The token of the last page's forms (or of `/api/csrf`); forgotten when the session changes.
    var csrf: String?

    var cookieHeader: HTTPHeaders {
        var headers = HTTPHeaders()
        if !cookies.isEmpty {
            headers.add(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        return headers
    }

    mutating func absorb(_ response: TestingHTTPResponse) {
        let session = cookies[SecurityConfiguration.sessionCookieName]
        defer {
            if cookies[SecurityConfiguration.sessionCookieName] != session { csrf = nil }
            let body = response.body.string
            for pattern in [#"name="_csrf" value="([^"]+)""#, #""csrfToken":"([^"]+)""#] {
                if let match = body.range(of: pattern, options: .regularExpression) {
                    let found = String(body[match])
                    csrf = String(found.dropLast().split(separator: "\"").last ?? "")
                    break
                }
            }
        }
        for value in response.headers[.setCookie] {
            let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard pair.count == 2 else { continue }
            if pair[1].isEmpty || value.contains("Max-Age=0") || value.contains("1970") {
                cookies[pair[0]] = nil
            } else {
                cookies[pair[0]] = pair[1]
            }
        }
    }

    @discardableResult
    mutating func get(_ app: Vapor.Application, _ path: String) async throws -> TestingHTTPResponse {
        var captured: TestingHTTPResponse?
        try await app.testing().test(.GET, path, headers: cookieHeader) { captured = $0 }
        let response = try #require(captured)
        absorb(response)
        return response
    }

    /// Posts a form the way the page does: with the CSRF field unless told otherwise.
    @discardableResult
    mutating func post(_ app: Vapor.Application, _ path: String, _ fields: [String: String], csrf: Bool = true) async throws -> TestingHTTPResponse {
        var form = fields
        if csrf { form[SecurityConfiguration.csrfField] = try await token(app) }
        let body = form.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(separator: "&")
        var headers = cookieHeader
        headers.contentType = .urlEncodedForm
        var captured: TestingHTTPResponse?
        try await app.testing().test(.POST, path, headers: headers, body: ByteBuffer(string: body)) { captured = $0 }
        let response = try #require(captured)
        absorb(response)
        return response
    }

    /// The CSRF token of the current session, asked of `/api/csrf` when no page has shown it yet.
    mutating func token(_ app: Vapor.Application) async throws -> String {
        if csrf == nil { try await get(app, "/api/csrf") }
        return try #require(csrf)
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}
