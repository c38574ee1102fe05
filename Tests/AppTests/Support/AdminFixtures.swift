import CXlsxWriter
import Fluent
import Foundation
import PolicyKit
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import App

extension Browser {
    /// Posts a multipart form with one file named `file`, as the import forms send it.
    @discardableResult
    mutating func postFile(_ app: Vapor.Application, _ path: String, fileName: String, data: Data, fields: [String: String] = [:]) async throws -> TestingHTTPResponse {
        try await postMultipart(app, path, fields: fields, files: [("file", fileName, data)])
    }
}

/// An .xlsx workbook written by libxlsxwriter (shared strings, as Excel writes them), one row per array.
func xlsx(_ rows: [[String]]) throws -> Data {
    let path = NSTemporaryDirectory() + "jigai-blacklist-\(UUID().uuidString).xlsx"
    defer { try? FileManager.default.removeItem(atPath: path) }
    let workbook = try #require(workbook_new(path))
    let sheet = try #require(workbook_add_worksheet(workbook, nil))
    for (row, cells) in rows.enumerated() {
        for (column, text) in cells.enumerated() where !text.isEmpty {
            #expect(worksheet_write_string(sheet, UInt32(row), UInt16(column), text, nil) == LXW_NO_ERROR)
        }
    }
    #expect(workbook_close(workbook) == LXW_NO_ERROR)
    return try Data(contentsOf: URL(fileURLWithPath: path))
}

enum BlacklistSample {
    static let steel = DemoCommand.enterprises[0]
    static let csv = "统一社会信用代码,企业名称,名单来源\n\(steel.creditCode),\(steel.name),信用中国（山西）失信黑名单\n914403001922038216,华为技术有限公司,\n"
}
