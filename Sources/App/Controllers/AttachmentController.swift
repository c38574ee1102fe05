import Fluent
import Foundation
import MultipartKit
import NIOCore
import PolicyKit
import Vapor

/// Uploads to an application's checklist, streamed to disk so that a large upload never sits in memory;
/// downloads offered as attachments under a safe name.
struct AttachmentController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let attachments = routes.grouped(RoleGuard(roles: [.enterprise]))
        attachments.post(SiteURL.applicationUpload(nil, item: nil), body: .stream, use: upload)
        attachments.post(SiteURL.applicationAttachmentDelete(nil, attachment: nil), use: remove)
        attachments.get(SiteURL.applicationAttachment(nil, attachment: nil), use: download)
    }

    typealias UploadRefused = AttachmentIntake.Refused

    func upload(req: Request) async throws -> Response {
        let context = try await req.applicationContext()
        do {
            try await receiveUpload(req, context: context)
            return req.redirect(to: SiteURL.application(context.id), done: "uploaded", fragment: "section-attachments")
        } catch let refused as UploadRefused {
            let page = try await context.page(req, submitted: nil, errors: [:], notice: nil, submitProblems: nil, uploadError: refused.message)
            return try await req.view.render("enterprise/application", page).encodeResponse(status: refused.status, for: req)
        }
    }

    /// Checks, receives and files one upload for the item named in the path; refusals carry a Chinese message.
    @discardableResult
    func receiveUpload(_ req: Request, context: ApplicationContext) async throws -> StoredAttachment {
        let intake = AttachmentIntake(environment: try req.services())
        let item = try intake.item(req.parameters.get("item") ?? "", of: context)
        let limits = req.application.settings.uploads
        if let length = req.headers.first(name: .contentLength).flatMap(Int64.init), length > limits.maximumFileBytes + 64 * 1024 {
            throw UploadRefused(status: .payloadTooLarge, message: "文件超过 \(limits.maximumFileBytes / 1024 / 1024) MB 的上限，请压缩或分拆后上传")
        }
        guard let boundary = req.headers.contentType?.parameters["boundary"], req.headers.contentType?.subType == "form-data" else {
            throw UploadRefused(status: .badRequest, message: "请以 multipart/form-data 上传，文件字段名为 file")
        }
        let received = try await receive(req, boundary: boundary, limit: limits.maximumFileBytes)
        do {
            return try await intake.accept(received.receiver, fileName: received.fileName, for: item, context: context)
        } catch {
            received.receiver.discard()
            throw error
        }
    }

    struct Received {
        var receiver: AttachmentStore.Receiver
        var fileName: String
    }

    /// Reads the multipart body as it arrives; only the part named `file` is kept, on disk.
    func receive(_ req: Request, boundary: String, limit: Int64) async throws -> Received {
        let receiver = try req.application.settings.attachments.receiver()
        let parser = MultipartParser(boundary: boundary)
        var inFile = false
        var fileName = ""
        var sawFile = false
        var writeError: Error?
        parser.onHeader = { name, value in
            if name.lowercased() == "content-disposition", Self.parameter("name", in: value) == "file" {
                inFile = true
                sawFile = true
                fileName = Self.parameter("filename", in: value) ?? ""
            }
        }
        parser.onBody = { buffer in
            guard inFile, writeError == nil else { return }
            do { try receiver.append(buffer) } catch { writeError = error }
        }
        parser.onPartComplete = { inFile = false }
        let tooLarge = UploadRefused(status: .payloadTooLarge, message: "文件超过 \(limit / 1024 / 1024) MB 的上限，请压缩或分拆后上传")
        // A client without Content-Length learns of the refusal only after sending its body: the rest is read and dropped
        // (up to a bound) so that it gets the answer instead of a stalled connection.
        var discarded: Int64?
        do {
            for try await chunk in req.body {
                if var dropped = discarded {
                    dropped += Int64(chunk.readableBytes)
                    discarded = dropped
                    if dropped > 4 * limit { break }
                    continue
                }
                try parser.execute(chunk)
                if let writeError { throw writeError }
                if receiver.size > limit {
                    receiver.discard()
                    discarded = 0
                }
            }
            if discarded != nil { throw tooLarge }
        } catch let refused as UploadRefused {
            receiver.discard()
            throw refused
        } catch {
            receiver.discard()
            throw UploadRefused(status: .badRequest, message: "上传中断或内容格式有误，请重新上传")
        }
        guard sawFile else {
            receiver.discard()
            throw UploadRefused(status: .badRequest, message: "请选择要上传的文件")
        }
        guard receiver.size > 0 else {
            receiver.discard()
            throw UploadRefused(status: .badRequest, message: "上传的文件是空的（0 字节）")
        }
        if let problem = UploadChecks.nameProblem(fileName) {
            receiver.discard()
            throw UploadRefused(status: .badRequest, message: problem)
        }
        return Received(receiver: receiver, fileName: fileName)
    }

    static func parameter(_ name: String, in header: String) -> String? {
        for part in header.split(separator: ";") {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1).map(String.init)
            if pair.count == 2, pair[0].lowercased() == name {
                return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }

    func remove(req: Request) async throws -> Response {
        let context = try await req.applicationContext()
        try await AttachmentIntake(environment: try req.services()).remove(req.parameters.get("attachment", as: UUID.self), from: context)
        return req.redirect(to: SiteURL.application(context.id), done: "removed", fragment: "section-attachments")
    }

    func download(req: Request) async throws -> Response {
        let context = try await req.applicationContext()
        let attachment = try await AttachmentIntake(environment: try req.services()).attachment(req.parameters.get("attachment", as: UUID.self), of: context)
        let path = req.application.settings.attachments.url(for: attachment.sha256).path
        let response = try await req.fileio.asyncStreamFile(at: path)
        let name = UploadChecks.safeFileName(attachment.originalName, kind: attachment.kind)
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "attachment"
        response.headers.contentType = HTTPMediaType(type: attachment.kind == .pdf ? "application" : "image", subType: attachment.kind == .pdf ? "pdf" : attachment.kind.rawValue)
        // `?view=1` opens the file in the browser's own viewer; the type is the sniffed one and nosniff is set, so an
        // upload is only ever shown as the PDF or image it was checked to be.
        let disposition = req.query[String.self, at: "view"] == "1" ? "inline" : "attachment"
        response.headers.replaceOrAdd(name: .contentDisposition, value: "\(disposition); filename=\"attachment.\(attachment.kind.fileExtension)\"; filename*=UTF-8''\(encoded)")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }
}
