import Foundation
import PolicyKit
import Spawn

/// An uploaded sheet (CSV or xlsx) read into rows: a 失信名单 under the row rules of `CreditBlacklist.parseRows`, a
/// table of an application under `TableImport`. An xlsx is unpacked in a child process under size and time limits.
enum SheetFile {
    /// Why a file could not be read at all, in the words shown to the admin.
    struct Unreadable: Error {
        var message: String
    }

    static let maximumBytes = 10 * 1024 * 1024
    /// An xlsx is a ZIP archive; a small one can unpack to gigabytes, so each part's size and time are capped.
    static let maximumPartBytes = 64 * 1024 * 1024
    static let wallClockSeconds = 15.0

    /// The rows of an xlsx (its first worksheet) or of a UTF-8 CSV, numbered as in the file.
    static func rows(_ data: Data, directory: String) async throws -> [(line: Int, cells: [String])] {
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            return try await worksheetRows(data, directory: directory)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw Unreadable(message: "文件不是 UTF-8 编码的 CSV，也不是 xlsx 工作簿。请在 Excel 中“另存为”“CSV UTF-8（逗号分隔）”或 Excel 工作簿（.xlsx）后重新导入")
        }
        return TableImport.csvRows(text)
    }

    /// The first worksheet's rows: the two XML parts are unpacked by `unzip` in a child process, then parsed here.
    static func worksheetRows(_ data: Data, directory: String) async throws -> [(line: Int, cells: [String])] {
        let archive = URL(fileURLWithPath: directory).appendingPathComponent("sheet-\(UUID().uuidString).xlsx")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try data.write(to: archive)
        defer { try? FileManager.default.removeItem(at: archive) }
        guard let sheet = try await extract("xl/worksheets/sheet1.xml", from: archive) else {
            throw Unreadable(message: "工作簿中没有第一个工作表（xl/worksheets/sheet1.xml）")
        }
        // A workbook whose cells are all numbers or inline strings has no shared-string part.
        let strings = try await extract("xl/sharedStrings.xml", from: archive)
        do {
            return try WorksheetXML.rows(sheet, sharedStrings: try strings.map(WorksheetXML.sharedStrings) ?? [])
        } catch let error as WorksheetXML.ReadError {
            throw Unreadable(message: "xlsx 文件无法读取：\(error.description)")
        }
    }

    /// One member of the archive, nil when the archive has no such member.
    static func extract(_ member: String, from archive: URL) async throws -> Data? {
        let output = archive.appendingPathExtension(UUID().uuidString)
        defer { try? FileManager.default.removeItem(at: output) }
        // Output goes to a file, not a pipe, so a large part cannot stall the child; --fsize stops it at the cap.
        let outcome = try await ChildProcess.run("/usr/bin/prlimit", ["--fsize=\(maximumPartBytes)", "--cpu=10", "--", "/usr/bin/unzip", "-p", archive.path, member],
                                                 output: .file(output.path), errors: .discard, timeout: wallClockSeconds)
        if outcome.timedOut { throw Unreadable(message: "xlsx 文件解压超时，请检查文件后重新导入") }
        switch outcome.termination {
        case .exited(0): return try Data(contentsOf: output)
        // unzip: 11 = no such member in the archive.
        case .exited(11): return nil
        case .signalled: throw Unreadable(message: "xlsx 文件解压后超过 \(maximumPartBytes / 1024 / 1024) MB，无法导入")
        case .exited: throw Unreadable(message: "文件不是有效的 xlsx 工作簿（无法解压）")
        }
    }
}
