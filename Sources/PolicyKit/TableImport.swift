import Foundation

/// A table field filled from a sheet: a CSV or xlsx file, or cells pasted from Excel (tab-separated). Every bad row
/// is reported with its line number and nothing is taken, so that a 200-row list is corrected in the sheet and imported
/// again rather than typed cell by cell.
public enum TableImport {
    public struct Imported: Sendable, Equatable {
        public var rows: [[String: FieldValue]]
        public var problems: [CreditBlacklist.LineProblem]
    }

    /// Rows of tab-separated text as Excel puts them on the clipboard: a cell holding a line break or a tab is quoted.
    public static func pastedRows(_ text: String) -> [(line: Int, cells: [String])] {
        DelimitedText.rows(text, separator: "\t")
    }

    /// The rows of a CSV file (UTF-8, with or without a byte-order mark).
    public static func csvRows(_ text: String) -> [(line: Int, cells: [String])] {
        DelimitedText.rows(text, separator: ",")
    }

    /// Maps the sheet's columns to the table's: by a header row naming the columns (their labels, with or without the
    /// unit, or their ids), or, without one, in the table's order.
    public static func read(_ rows: [(line: Int, cells: [String])], into field: FieldSpec, round: Round) -> Imported {
        let columns = field.columns ?? []
        let filled = rows.filter { !$0.cells.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }
        guard let first = filled.first else {
            return Imported(rows: [], problems: [.init(line: 1, message: "没有可导入的行")])
        }
        var order: [Int?] = columns.indices.map { $0 }
        var body = filled[...]
        var hasHeader = false
        let names = first.cells.map(normalisedHeader)
        let matched = columns.map { column in names.firstIndex { $0 == normalisedHeader(column.label) || $0 == normalisedHeader(column.id) } }
        if matched.contains(where: { $0 != nil }) {
            order = matched
            body = filled.dropFirst()
            hasHeader = true
            let missing = zip(columns, matched).filter { $0.1 == nil && $0.0.isRequired }.map(\.0.label)
            if !missing.isEmpty {
                return Imported(rows: [], problems: [.init(line: first.line, message: "表头缺少：\(missing.joined(separator: "、"))；应有的列：\(columns.map(\.label).joined(separator: "、"))")])
            }
        }
        var imported: [[String: FieldValue]] = []
        var problems: [CreditBlacklist.LineProblem] = []
        var seenCodes: [String: Int] = [:]
        for (line, cells) in body {
            var row: [String: FieldValue] = [:]
            var rowProblems: [String] = []
            for (column, index) in zip(columns, order) {
                let text = index.flatMap { $0 < cells.count ? cells[$0] : nil }?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
                if text.isEmpty {
                    if column.isRequired { rowProblems.append("缺少\(column.label)") }
                    continue
                }
                switch value(text, for: column, round: round) {
                case .success(let value):
                    row[column.id] = value
                    if column.type == .creditCode, let code = value.text {
                        if let previous = seenCodes[code] {
                            rowProblems.append("统一社会信用代码 \(code) 与第 \(previous) 行重复")
                        } else {
                            seenCodes[code] = line
                        }
                    }
                case .failure(let problem):
                    rowProblems.append("\(column.label)\(problem.message)")
                }
            }
            // With a header, columns it does not name (序号, 备注) are left out; without one, a cell past the table's columns is a mistake.
            if !hasHeader, let extra = cells.indices.first(where: { $0 >= columns.count && !cells[$0].trimmingCharacters(in: .whitespaces).isEmpty }) {
                rowProblems.append("第 \(extra + 1) 列“\(cells[extra].prefix(20))”多出本表的 \(columns.count) 列（\(columns.map(\.label).joined(separator: "、"))）；可在第一行写表头")
            }
            if rowProblems.isEmpty {
                imported.append(row)
            } else {
                problems.append(.init(line: line, message: rowProblems.joined(separator: "；")))
            }
        }
        if imported.isEmpty && problems.isEmpty {
            problems.append(.init(line: first.line, message: "只有表头，没有可导入的行"))
        }
        return Imported(rows: problems.isEmpty ? imported : [], problems: problems)
    }

    struct CellProblem: Error {
        var message: String
    }

    /// One cell as the column's type reads it; the message follows the column's label.
    static func value(_ text: String, for column: FieldSpec, round: Round) -> Result<FieldValue, CellProblem> {
        switch column.type {
        case .creditCode:
            switch CreditCode.validate(text) {
            case .success(let code): return .success(.text(code))
            case .failure(let error): return .failure(CellProblem(message: "：" + error.message))
            }
        case .bool:
            switch text.lowercased() {
            case "是", "true", "y", "yes", "1", "√": return .success(.bool(true))
            case "否", "false", "n", "no", "0", "×": return .success(.bool(false))
            default: return .failure(CellProblem(message: "应填“是”或“否”，实为“\(text.prefix(20))”"))
            }
        case .amount, .percent, .integer, .year:
            let digits = text.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "%", with: "")
            guard let number = FixedDecimal(digits) else { return .failure(CellProblem(message: "“\(text.prefix(20))”不是有效的数字")) }
            return .success(.number(number))
        case .date:
            guard CalendarDate(text) != nil else { return .failure(CellProblem(message: "“\(text.prefix(20))”不是 yyyy-MM-dd 格式的日期")) }
            return .success(.date(text))
        case .choice:
            let options = round.options(for: column)
            guard options.contains(text) else { return .failure(CellProblem(message: "“\(text.prefix(20))”不在可选项中（\(options.joined(separator: "、"))）")) }
            return .success(.text(text))
        case .text, .longText:
            if let limit = column.maxLength, text.count > limit { return .failure(CellProblem(message: "超过 \(limit) 字")) }
            return .success(.text(text))
        case .table:
            return .failure(CellProblem(message: "不能是表格"))
        }
    }

    /// A header cell compared without spaces, a unit in brackets, or a required mark.
    static func normalisedHeader(_ text: String) -> String {
        var name = text.filter { !$0.isWhitespace && $0 != "*" }
        if let bracket = name.firstIndex(where: { $0 == "（" || $0 == "(" }), name.last == "）" || name.last == ")" {
            name = String(name[..<bracket])
        }
        return name.lowercased()
    }
}

/// CSV-like text: cells split at `separator`, a cell in double quotes may hold separators and line breaks, "" is a
/// quote. Lines are numbered as in the file.
public enum DelimitedText {
    public static func rows(_ text: String, separator: Character) -> [(line: Int, cells: [String])] {
        var source = text
        if source.hasPrefix("\u{FEFF}") { source.removeFirst() }
        var rows: [(line: Int, cells: [String])] = []
        var cells: [String] = []
        var cell = ""
        var quoted = false
        var line = 1
        var rowStart = 1
        var characters = Array(source)
        if characters.last != "\n" { characters.append("\n") }
        var index = 0
        while index < characters.count {
            let character = characters[index]
            index += 1
            if quoted {
                if character == "\"" {
                    if index < characters.count, characters[index] == "\"" {
                        cell.append("\"")
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if character == "\n" || character == "\r\n" { line += 1 }
                    cell.append(character)
                }
            } else if character == "\"" && cell.trimmingCharacters(in: .whitespaces).isEmpty {
                cell = ""
                quoted = true
            } else if character == separator {
                cells.append(cell.trimmingCharacters(in: .whitespaces))
                cell = ""
            } else if character == "\n" || character == "\r\n" || character == "\r" {
                cells.append(cell.trimmingCharacters(in: .whitespaces))
                rows.append((rowStart, cells))
                cells = []
                cell = ""
                line += 1
                rowStart = line
            } else {
                cell.append(character)
            }
        }
        return rows
    }
}
