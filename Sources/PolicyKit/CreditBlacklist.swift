import Foundation

/// 失信名单 imported by the admin: 信用中国（山西）失信黑名单 and 国家企业信用信息公示系统严重违法失信企业名单.
public struct CreditBlacklist: Sendable, Equatable {
    public struct Entry: Sendable, Equatable, Codable {
        public var creditCode: String
        public var name: String?
        public var source: String

        public init(creditCode: String, name: String? = nil, source: String) {
            self.creditCode = creditCode
            self.name = name
            self.source = source
        }
    }

    /// The lists notice §一(二) names; an imported file's entries are taken from one of them unless a row says otherwise.
    public static let listNames = ["信用中国（山西）失信黑名单", "国家企业信用信息公示系统严重违法失信企业名单"]

    public private(set) var entries: [String: Entry] = [:]

    public static let empty = CreditBlacklist()

    /// Entries loaded only in part (the stored list's entries for the codes being checked) keep the whole list's size,
    /// so that a verdict still tells “no list imported” from “not listed”.
    private var listSize: Int?

    public init(entries: [Entry] = []) {
        for entry in entries { self.entries[entry.creditCode] = entry }
    }

    /// The part of a stored list that concerns the codes being checked, out of a list of `listSize` entries.
    public init(matching entries: [Entry], listSize: Int) {
        self.init(entries: entries)
        self.listSize = max(listSize, self.entries.count)
    }

    public func entry(for creditCode: String) -> Entry? { entries[creditCode] }

    public var count: Int { listSize ?? entries.count }

    /// A bad line of an imported list: its 1-based line number and why.
    public struct LineProblem: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "第 \(line) 行：\(message)" }
    }

    public static let defaultSource = "失信名单"

    /// Parses CSV with a header naming at least the credit-code column (统一社会信用代码 or creditCode);
    /// optional columns 企业名称/name and 名单来源/source. Every bad row is reported, none silently dropped.
    public static func parseCSV(_ text: String, defaultSource: String = defaultSource) -> (CreditBlacklist, [LineProblem]) {
        parseRows(DelimitedText.rows(text, separator: ","), defaultSource: defaultSource)
    }

    /// The row rules shared by CSV and XLSX imports: the first row is the header, the others entries, each with its
    /// line number in the file (a worksheet may skip empty rows). Every bad row is reported, none silently dropped.
    public static func parseRows(_ rows: [(line: Int, cells: [String])], defaultSource: String = defaultSource) -> (CreditBlacklist, [LineProblem]) {
        guard let header = rows.first, header.cells.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            return (.empty, [LineProblem(line: rows.first?.line ?? 1, message: "文件为空")])
        }
        let names = header.cells.map { $0.trimmingCharacters(in: .whitespaces) }
        guard let codeColumn = names.firstIndex(where: { ["统一社会信用代码", "creditCode", "credit_code"].contains($0) }) else {
            return (.empty, [LineProblem(line: header.line, message: "表头缺少“统一社会信用代码”列")])
        }
        let nameColumn = names.firstIndex { ["企业名称", "name"].contains($0) }
        let sourceColumn = names.firstIndex { ["名单来源", "source"].contains($0) }
        func cell(_ cells: [String], _ column: Int?) -> String? {
            guard let column, column < cells.count else { return nil }
            let text = cells[column].trimmingCharacters(in: .whitespaces)
            return text.isEmpty ? nil : text
        }
        var entries: [Entry] = []
        var problems: [LineProblem] = []
        var seen: [String: Int] = [:]
        for (lineNumber, cells) in rows.dropFirst() {
            if cells.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard let code = cell(cells, codeColumn) else {
                problems.append(LineProblem(line: lineNumber, message: "缺少统一社会信用代码"))
                continue
            }
            switch CreditCode.validate(code) {
            case .failure(let error):
                problems.append(LineProblem(line: lineNumber, message: error.message))
            case .success(let code):
                if let previous = seen[code] {
                    problems.append(LineProblem(line: lineNumber, message: "统一社会信用代码 \(code) 与第 \(previous) 行重复"))
                    continue
                }
                seen[code] = lineNumber
                entries.append(Entry(creditCode: code, name: cell(cells, nameColumn), source: cell(cells, sourceColumn) ?? defaultSource))
            }
        }
        return (CreditBlacklist(entries: entries), problems)
    }
}
