import Fluent
import Foundation
import PolicyKit
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import App

extension Browser {
    /// A multipart form with text fields and files (`(field, file name, data)`), CSRF token in the query as the page sends it.
    @discardableResult
    mutating func postMultipart(_ app: Vapor.Application, _ path: String, fields: [String: String], files: [(String, String, Data)]) async throws -> TestingHTTPResponse {
        if csrf == nil { try await get(app, "/login") }
        let boundary = "jigai-multipart-\(UUID().uuidString)"
        var body = Data()
        for (name, value) in fields {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        for (name, fileName, data) in files {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(fileName)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8))
            body.append(data)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        var headers = cookieHeader
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        var captured: TestingHTTPResponse?
        let token = try await self.token(app)
        try await app.testing().test(.POST, "\(path)?_csrf=\(token)", headers: headers, body: ByteBuffer(data: body)) { captured = $0 }
        let response = try #require(captured)
        absorb(response)
        return response
    }
}
