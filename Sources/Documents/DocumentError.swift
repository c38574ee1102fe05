import Foundation

/// Why a document could not be produced, worded for the user.
public enum DocumentError: Error, Equatable, CustomStringConvertible, LocalizedError {
    case textTooLong(field: String, limit: Int, length: Int)
    case valueNotAllowed(field: String, value: String, allowed: [String])
    case pdfRendering(String)
    case spreadsheet(String)
    case fileSystem(String)
    /// An uploaded file that cannot be bound into the report, named by its checklist item and file name.
    case unusableUpload(item: String, file: String, reason: String)
    case pdfMerging(String)
    case unknownDirection(String)

    public var description: String {
        switch self {
        case let .textTooLong(field, limit, length):
            "\(field)不能超过 \(limit) 字，现为 \(length) 字"
        case let .valueNotAllowed(field, value, allowed):
            "\(field)只能填写\(allowed.joined(separator: "、"))，不能填写“\(value)”"
        case let .pdfRendering(reason):
            "PDF 生成失败：\(reason)"
        case let .spreadsheet(reason):
            "Excel 文件生成失败：\(reason)"
        case let .fileSystem(reason):
            "文件保存失败：\(reason)"
        case let .unusableUpload(item, file, reason):
            "附件“\(item)”中的文件“\(file)”无法编入申请报告：\(reason)"
        case let .pdfMerging(reason):
            "申请报告合并失败：\(reason)"
        case let .unknownDirection(direction):
            "本批次没有申报方向“\(direction)”"
        }
    }

    public var errorDescription: String? { description }
}
