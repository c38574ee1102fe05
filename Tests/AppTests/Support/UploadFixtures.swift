import Crypto
import Fluent
import Foundation
import PolicyKit
import Testing
import Vapor
import VaporTesting
@testable import App

enum Fixtures {
    /// A small, well-formed PDF with `pages` pages and a correct cross-reference table.
    static func pdf(pages: Int) -> Data {
        var objects = ["<< /Type /Catalog /Pages 2 0 R >>"]
        let kids = (0..<pages).map { "\($0 + 3) 0 R" }.joined(separator: " ")
        objects.append("<< /Type /Pages /Kids [\(kids)] /Count \(pages) >>")
        for _ in 0..<pages { objects.append("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>") }
        var text = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(text.utf8.count)
            text += "\(index + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = text.utf8.count
        text += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { text += String(format: "%010d 00000 n \n", offset) }
        text += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Data(text.utf8)
    }

    static let png = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")!
    static let windowsExecutable = Data([0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00] + Array(repeating: 0, count: 120))

    static func multipart(fileName: String, data: Data, boundary: String = "jigai-test-boundary") -> (HTTPHeaders, ByteBuffer) {
        var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(fileName)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
        body.append(data)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        return (headers, ByteBuffer(data: body))
    }
}

extension Browser {
    @discardableResult
    mutating func upload(_ app: Vapor.Application, _ application: String, item: String, fileName: String, data: Data, csrf: Bool = true) async throws -> TestingHTTPResponse {
        let (multipartHeaders, body) = Fixtures.multipart(fileName: fileName, data: data)
        var headers = cookieHeader
        headers.add(contentsOf: multipartHeaders)
        let query = csrf ? "?_csrf=\(try await token(app))" : ""
        var captured: TestingHTTPResponse?
        try await app.testing().test(.POST, "\(application)/attachments/upload/\(item)\(query)", headers: headers, body: body) { captured = $0 }
        let response = try #require(captured)
        absorb(response)
        return response
    }
}
