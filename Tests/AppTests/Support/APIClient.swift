import Fluent
import Foundation
import PolicyKit
import Testing
import Vapor
import VaporTesting
@testable import App

/// A JSON API client with the session cookie and the CSRF header.
struct APIClient {
    var browser = Browser()
    var csrf: String?

    mutating func send(_ app: Vapor.Application, _ method: HTTPMethod, _ path: String, json: Data? = nil, csrfHeader: Bool = true,
                       headers extra: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        var headers = browser.cookieHeader
        headers.add(contentsOf: extra)
        if let json, !json.isEmpty { headers.contentType = .json }
        if csrfHeader, let token = csrf ?? browser.csrf { headers.replaceOrAdd(name: SecurityConfiguration.csrfHeader, value: token) }
        var captured: TestingHTTPResponse?
        try await app.testing().test(method, path, headers: headers, body: json.map { ByteBuffer(data: $0) }) { captured = $0 }
        let response = try #require(captured)
        browser.absorb(response)
        return response
    }

    mutating func signIn(_ app: Vapor.Application, login: String, password: String) async throws {
        let token = try await send(app, .GET, "/api/csrf", csrfHeader: false)
        csrf = try token.content.decode(APIController.CSRFToken.self).csrfToken
        let response = try await send(app, .POST, "/api/session", json: try JSONEncoder().encode(APIController.SignIn(login: login, password: password)))
        #expect(response.status == .ok)
        csrf = try response.content.decode(APIController.SessionInfo.self).csrfToken
    }
}
