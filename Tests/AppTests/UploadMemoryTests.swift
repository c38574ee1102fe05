import Fluent
import Foundation
import PolicyKit
import Testing
import Vapor
import VaporTesting
@testable import App

/// Uploads through a real socket from a separate process (curl), measuring this process's memory.
@Suite("附件：大文件流式写盘，服务器内存不随文件增长", .serialized)
struct UploadMemoryTests {
    static func residentBytes() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) * 1024
    }

    static func curl(_ arguments: [String]) throws -> (status: Int, body: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-s", "-o", "/dev/stderr", "-w", "%{http_code}"] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let body = errors.fileHandleForReading.readDataToEndOfFile()
        let code = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (Int(String(decoding: code, as: UTF8.self)) ?? 0, String(decoding: body, as: UTF8.self))
    }

    /// Sizes are kept small enough for a debug build (its multipart parser reads about 2 MB/s), yet well above
    /// the allowed growth, so that a handler that buffered the body would fail.
    @Test("30 MB 分块上传超过 10 MB 上限被拒绝；9 MB 的合法文件写盘；两者都不让内存增长到文件大小")
    func streamedUploads() async throws {
        try await withTestApp { app in
            app.settings.uploads = UploadLimits(maximumFileBytes: 10 * 1024 * 1024, maximumApplicationBytes: 100 * 1024 * 1024)
            let (_, demo) = try await app.demoEnterprise()
            var browser = Browser()
            try await browser.post(app, "/login", ["login": demo.creditCode, "password": DemoCommand.password])
            let location = try await app.startApplication(&browser, direction: "rd-expense")
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            let port = try #require(app.http.server.shared.localAddress?.port)
            let cookie = browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            let url = "http://127.0.0.1:\(port)\(location)/attachments/upload/tax-return?_csrf=\(browser.csrf ?? "")"
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jigai-upload-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }

            func file(_ name: String, header: Data, size: Int) throws -> String {
                let path = folder.appendingPathComponent(name).path
                FileManager.default.createFile(atPath: path, contents: header)
                let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
                try handle.seekToEnd()
                let block = Data(repeating: 0x20, count: 1024 * 1024)
                for _ in 0..<(size / block.count) { try handle.write(contentsOf: block) }
                try handle.close()
                return path
            }
            let warmUp = try file("warm.png", header: Fixtures.png, size: 1024 * 1024)
            #expect(try Self.curl(["-H", "Cookie: \(cookie)", "-F", "file=@\(warmUp)", url]).status == 303)

            let before = Self.residentBytes()
            let huge = try file("huge.pdf", header: Fixtures.pdf(pages: 1), size: 30 * 1024 * 1024)
            let refused = try Self.curl(["-H", "Cookie: \(cookie)", "-H", "Transfer-Encoding: chunked", "-F", "file=@\(huge)", url])
            #expect(refused.status == 413)
            #expect(refused.body.contains("文件超过 10 MB 的上限"))
            let afterRefusal = Self.residentBytes()

            let large = try file("large.png", header: Fixtures.png, size: 9 * 1024 * 1024)
            let accepted = try Self.curl(["-H", "Cookie: \(cookie)", "-H", "Transfer-Encoding: chunked", "-F", "file=@\(large)", url])
            #expect(accepted.status == 303)
            let afterAccept = Self.residentBytes()
            let stored = try await StoredAttachment.query(on: app.db).sort(\.$uploadedAt, .descending).first()
            #expect(stored?.size == Int64(Fixtures.png.count + 9 * 1024 * 1024))
            let growth = max(afterRefusal, afterAccept) - before
            print("上传内存：开始 \(before / 1_048_576) MB，拒绝 30 MB 后 \(afterRefusal / 1_048_576) MB，接收 9 MB 后 \(afterAccept / 1_048_576) MB")
            #expect(growth < 7 * 1024 * 1024, "内存增长 \(growth / 1_048_576) MB")
            await app.server.shutdown()
        }
    }
}
