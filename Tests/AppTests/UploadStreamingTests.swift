import Fluent
import Foundation
import PolicyKit
import Spawn
import Testing
import Vapor
import VaporTesting
@testable import App

/// Uploads through a real socket from a separate process (curl), as a client without Content-Length sends them.
/// That the server's memory does not grow with the file is measured on `jigai serve` alone by the reliability checks
/// (`make reliability`, part of `make test`): this process runs other suites at the same time.
@Suite("附件：分块上传超过上限被拒绝、合法大文件写盘", .serialized)
struct UploadStreamingTests {
    static func curl(_ arguments: [String]) throws -> (status: Int, body: String) {
        let outcome = try ChildProcess.runSynchronously("/usr/bin/curl", ["-s", "-o", "/dev/stderr", "-w", "%{http_code}"] + arguments)
        return (Int(outcome.text) ?? 0, outcome.errorText)
    }

    @Test("6 MB 分块上传超过 2 MB 上限：读完后以 413 和中文说明拒绝，不留文件；接近上限的合法文件完整写盘")
    func streamedUploads() async throws {
        try await withTestApp { app in
            app.settings.uploads = UploadLimits(maximumFileBytes: 2 * 1024 * 1024, maximumApplicationBytes: 100 * 1024 * 1024)
            let (_, demo) = try await app.demoEnterprise()
            var browser = Browser()
            try await browser.post(app, "/login", ["login": demo.creditCode, "password": DemoCommand.password])
            let location = try await app.startApplication(&browser, direction: "rd-expense")
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            let port = try #require(app.http.server.shared.localAddress?.port)
            let cookie = browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            let url = "http://127.0.0.1:\(port)\(location)/attachments/upload/tax-return?_csrf=\(try await browser.token(app))"
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jigai-upload-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }

            func file(_ name: String, header: Data, size: Int) throws -> String {
                let path = folder.appendingPathComponent(name).path
                FileManager.default.createFile(atPath: path, contents: header + Data(repeating: 0x20, count: size))
                return path
            }
            let stored = { try await StoredAttachment.query(on: app.db).all() }
            let huge = try file("huge.pdf", header: Fixtures.pdf(pages: 1), size: 6 * 1024 * 1024)
            let refused = try Self.curl(["-H", "Cookie: \(cookie)", "-H", "Transfer-Encoding: chunked", "-F", "file=@\(huge)", url])
            #expect(refused.status == 413)
            #expect(refused.body.contains("文件超过 2 MB 的上限"))
            #expect(try await stored().isEmpty)
            let incoming = (try? FileManager.default.contentsOfDirectory(atPath: app.settings.attachments.directory.path + "/incoming")) ?? []
            #expect(incoming.isEmpty, "被拒绝的上传留下了临时文件：\(incoming)")

            let large = try file("large.png", header: Fixtures.png, size: 2 * 1024 * 1024 - Fixtures.png.count - 1)
            let accepted = try Self.curl(["-H", "Cookie: \(cookie)", "-H", "Transfer-Encoding: chunked", "-F", "file=@\(large)", url])
            #expect(accepted.status == 303)
            #expect(try await stored().map(\.size) == [Int64(2 * 1024 * 1024 - 1)])
            await app.server.shutdown()
        }
    }
}
