import Crypto
import Fluent
import Foundation
import PolicyKit
import Testing
import Vapor
import VaporTesting
@testable import App

@Suite("附件：上传、类型判断、限额、下载", .serialized)
struct AttachmentTests {
    @Test("上传 PDF：按内容判断类型、读出页数、按 SHA-256 存放在服务目录之外")
    func uploadPDF() async throws {
        try await withTestApp { app in
            var (browser, _) = try await app.demoEnterprise()
            let location = try await app.startApplication(&browser, direction: "rd-expense")
            let pdf = Fixtures.pdf(pages: 3)
            let response = try await browser.upload(app, location, item: "tax-return", fileName: "纳税申报表.pdf", data: pdf)
            #expect(response.status == .seeOther)
            let stored = try #require(try await StoredAttachment.query(on: app.db).first())
            #expect(stored.kind == .pdf)
            #expect(stored.pageCount == 3)
            #expect(stored.originalName == "纳税申报表.pdf")
            let digest = SHA256.hash(data: pdf).map { String(format: "%02x", $0) }.joined()
            #expect(stored.sha256 == digest)
            let path = app.settings.attachments.url(for: digest).path
            #expect(FileManager.default.contents(atPath: path) == pdf)
            #expect(!path.hasPrefix(app.directory.publicDirectory))
            let page = try await browser.get(app, location)
            #expect(page.body.string.contains("纳税申报表.pdf"))
            #expect(page.body.string.contains("3 页"))
            let application = try #require(try await StoredApplication.query(on: app.db).first())
            #expect(try application.application(round: app.settings.rounds["shanxi-2023-demo"]!).attachments.map(\.item) == ["tax-return"])
        }
    }

    @Test("改了扩展名的可执行文件、损坏的 PDF、空文件：中文说明拒绝，不留文件", arguments: [
        ("setup.exe.pdf", Fixtures.windowsExecutable, "不是 PDF、JPEG 或 PNG 文件"),
        ("损坏.pdf", Data("%PDF-1.7\nthis is not a pdf at all".utf8), "不是可读取的 PDF 文件"),
        ("空.pdf", Data(), "上传的文件是空的"),
        ("页面.html", Data("<html><script>alert(1)</script></html>".utf8), "按文件内容判断类型"),
    ])
    func refused(fileName: String, data: Data, message: String) async throws {
        try await withTestApp { app in
            var (browser, _) = try await app.demoEnterprise()
            let location = try await app.startApplication(&browser, direction: "rd-expense")
            let response = try await browser.upload(app, location, item: "tax-return", fileName: fileName, data: data)
            #expect(response.status.code >= 400)
            #expect(response.body.string.contains(message), "\(fileName)")
            #expect(try await StoredAttachment.query(on: app.db).count() == 0)
            let incoming = app.settings.attachments.directory.appendingPathComponent("incoming").path
            #expect((try? FileManager.default.contentsOfDirectory(atPath: incoming))?.isEmpty ?? true)
        }
    }

    @Test("超过单个文件上限：413 中文说明，临时文件删除")
    func overLimit() async throws {
        try await withTestApp { app in
            app.settings.uploads = UploadLimits(maximumFileBytes: 256 * 1024, maximumApplicationBytes: 1024 * 1024)
            var (browser, _) = try await app.demoEnterprise()
            let location = try await app.startApplication(&browser, direction: "rd-expense")
            var big = Fixtures.pdf(pages: 1)
            big.append(Data(repeating: 0x20, count: 600 * 1024))
            let response = try await browser.upload(app, location, item: "tax-return", fileName: "大文件.pdf", data: big)
            #expect(response.status == .payloadTooLarge)
            #expect(response.body.string.contains("文件超过 0 MB 的上限") || response.body.string.contains("上限"))
            #expect(try await StoredAttachment.query(on: app.db).count() == 0)
            let incoming = app.settings.attachments.directory.appendingPathComponent("incoming").path
            #expect((try? FileManager.default.contentsOfDirectory(atPath: incoming))?.isEmpty ?? true)
        }
    }

    @Test("图片：PNG 可上传；下载为附件、安全文件名；其他企业 404")
    func downloadAndIsolation() async throws {
        try await withTestApp { app in
            var (owner, _) = try await app.demoEnterprise(0)
            let location = try await app.startApplication(&owner, direction: "rd-expense")
            // A path or a control character in the name is refused outright; browsers send neither.
            for crafted in ["../../营业执照.png", "营业执照\u{0}扫描.png", String(repeating: "长", count: 300) + ".png"] {
                let refused = try await owner.upload(app, location, item: "business-licence", fileName: crafted, data: Fixtures.png)
                #expect(refused.status == .badRequest)
                #expect(refused.body.string.contains("文件名不能超过 255 个字，也不能包含路径"))
            }
            #expect(try await StoredAttachment.query(on: app.db).count() == 0)
            #expect(try await owner.upload(app, location, item: "business-licence", fileName: "..营业执照:扫描.png", data: Fixtures.png).status == .seeOther)
            let stored = try #require(try await StoredAttachment.query(on: app.db).first())
            #expect(stored.kind == .png)
            #expect(stored.originalName == "..营业执照:扫描.png")
            let link = "\(location)/attachments/\(try stored.requireID())"
            let download = try await owner.get(app, link)
            #expect(download.status == .ok)
            #expect(download.headers.first(name: .contentType) == "image/png")
            let disposition = try #require(download.headers.first(name: .contentDisposition))
            #expect(disposition.hasPrefix("attachment;"))
            #expect(!disposition.contains(".."))
            #expect(disposition.contains("filename*=UTF-8''"))
            #expect(Data(buffer: download.body) == Fixtures.png)
            let viewed = try await owner.get(app, link + "?view=1")
            #expect(viewed.headers.first(name: .contentDisposition)?.hasPrefix("inline;") == true)
            #expect(viewed.headers.first(name: "X-Content-Type-Options") == "nosniff")
            var other = Browser()
            try await DemoCommand.ensure(DemoCommand.enterprises[1], passwordHash: try await app.password.async.hash(DemoCommand.password), on: app.db)
            try await other.post(app, "/login", ["login": DemoCommand.enterprises[1].creditCode, "password": DemoCommand.password])
            #expect(try await other.get(app, link).status == .notFound)
            #expect(try await other.get(app, link + "?view=1").status == .notFound)
            #expect(try await other.upload(app, location, item: "business-licence", fileName: "x.png", data: Fixtures.png).status == .notFound)
            #expect(try await other.post(app, link + "/delete", [:]).status == .notFound)
            #expect(try await StoredAttachment.query(on: app.db).filter(\.$removedAt == nil).count() == 1)
        }
    }

    @Test("同一文件只存一份；草稿中可删除；没有 CSRF 令牌的上传被拒绝")
    func deduplicateRemoveAndCSRF() async throws {
        try await withTestApp { app in
            var (browser, _) = try await app.demoEnterprise()
            let location = try await app.startApplication(&browser, direction: "rd-expense")
            let pdf = Fixtures.pdf(pages: 1)
            try await browser.upload(app, location, item: "financial-2021", fileName: "a.pdf", data: pdf)
            try await browser.upload(app, location, item: "financial-2022", fileName: "b.pdf", data: pdf)
            let digest = SHA256.hash(data: pdf).map { String(format: "%02x", $0) }.joined()
            let folder = app.settings.attachments.url(for: digest).deletingLastPathComponent().path
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == [digest])
            let first = try #require(try await StoredAttachment.query(on: app.db).filter(\.$item == "financial-2021").first())
            #expect(try await browser.post(app, "\(location)/attachments/\(try first.requireID())/delete", [:]).status == .seeOther)
            let application = try #require(try await StoredApplication.query(on: app.db).first())
            #expect(try application.application(round: app.settings.rounds["shanxi-2023-demo"]!).attachments.map(\.item) == ["financial-2022"])
            let refused = try await browser.upload(app, location, item: "financial-2021", fileName: "a.pdf", data: pdf, csrf: false)
            #expect(refused.status == .forbidden)
        }
    }

    @Test("上传齐全后可以提交；提交后不能再上传")
    func submitAfterUploads() async throws {
        try await withTestApp { app in
            var (browser, _) = try await app.demoEnterprise()
            let location = try await app.startApplication(&browser, direction: "rd-expense")
            var fields = formFields(try app.example("rd-expense.eligible.json"), round: app.settings.rounds["shanxi-2023-demo"]!)
            fields["projectName"] = "研发费用奖励"
            #expect(try await browser.post(app, location, fields).status == .seeOther)
            let round = try #require(app.settings.rounds["shanxi-2023-demo"])
            let spec = try #require(round.directionSpec("rd-expense", subDirection: nil))
            for item in round.attachments(for: spec) where item.source == .upload && item.isRequired {
                #expect(try await browser.upload(app, location, item: item.id, fileName: "\(item.id).pdf", data: Fixtures.pdf(pages: 2)).status == .seeOther)
            }
            let submitted = try await browser.post(app, location + "/submit", [:])
            #expect(submitted.status == .seeOther)
            let late = try await browser.upload(app, location, item: "tax-return", fileName: "late.pdf", data: Fixtures.pdf(pages: 1))
            #expect(late.status == .conflict)
            #expect(late.body.string.contains("不能再上传附件"))
        }
    }
}
