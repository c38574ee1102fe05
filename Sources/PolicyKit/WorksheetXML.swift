import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The cells of an .xlsx worksheet, read from the two XML parts that hold them (`xl/sharedStrings.xml` and
/// `xl/worksheets/sheet1.xml`); unpacking the ZIP container is the caller's business.
public enum WorksheetXML {
    public struct ReadError: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// The shared-string table: one text per `<si>`, rich-text runs joined, phonetic guides left out.
    public static func sharedStrings(_ data: Data) throws -> [String] {
        let reader = SharedStringsReader()
        try parse(data, with: reader, part: "共享字符串", root: "sst")
        return reader.strings
    }

    /// The worksheet's rows with their 1-based row numbers, each cell's text placed at its column (gaps as "").
    public static func rows(_ data: Data, sharedStrings: [String]) throws -> [(line: Int, cells: [String])] {
        let reader = SheetReader(sharedStrings: sharedStrings)
        try parse(data, with: reader, part: "工作表", root: "worksheet")
        if let problem = reader.problem { throw ReadError(description: problem) }
        return reader.rows
    }

    /// The 0-based column of a cell reference such as “AB12”.
    static func column(of reference: String) -> Int? {
        var column = 0
        var letters = 0
        for scalar in reference.uppercased().unicodeScalars {
            guard ("A"..."Z").contains(scalar) else { break }
            column = column * 26 + Int(scalar.value) - 64
            letters += 1
        }
        return letters == 0 || letters > 3 ? nil : column - 1
    }

    /// Parses the part; a document cut short (which the parser may let pass) is refused too, as its closing root tag is missing.
    private static func parse(_ data: Data, with delegate: any XMLParserDelegate & RootTracking, part: String, root: String) throws {
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.delegate = delegate
        guard parser.parse(), delegate.closedRoots.contains(root) else {
            throw ReadError(description: "\(part)内容不是有效的 XML（第 \(parser.lineNumber) 行）")
        }
    }
}

/// Remembers which top-level elements were closed, to tell a complete part from a truncated one.
private protocol RootTracking: AnyObject {
    var closedRoots: Set<String> { get }
}

private final class SharedStringsReader: NSObject, XMLParserDelegate, RootTracking {
    var strings: [String] = []
    var closedRoots: Set<String> = []
    private var current = ""
    private var inText = false
    private var inPhonetic = false

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch name {
        case "si": current = ""
        case "t": inText = !inPhonetic
        case "rPh": inPhonetic = true
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { current += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "si": strings.append(current)
        case "t": inText = false
        case "rPh": inPhonetic = false
        case "sst": closedRoots.insert(name)
        default: break
        }
    }
}

private final class SheetReader: NSObject, XMLParserDelegate, RootTracking {
    let sharedStrings: [String]
    var closedRoots: Set<String> = []
    var rows: [(line: Int, cells: [String])] = []
    var problem: String?
    private var cells: [String] = []
    private var rowNumber = 0
    private var cellColumn = 0
    private var cellType = "n"
    private var text = ""
    private var collecting = false

    init(sharedStrings: [String]) {
        self.sharedStrings = sharedStrings
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch name {
        case "row":
            // Rows without a number follow the previous one, as spreadsheet programs read them.
            rowNumber = attributes["r"].flatMap(Int.init) ?? rowNumber + 1
            cells = []
        case "c":
            cellColumn = attributes["r"].flatMap(WorksheetXML.column(of:)) ?? cells.count
            cellType = attributes["t"] ?? "n"
            text = ""
        case "v", "t":
            collecting = true
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if collecting { text += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "v", "t":
            collecting = false
        case "c":
            var value = text
            if cellType == "s" {
                guard let index = Int(text), sharedStrings.indices.contains(index) else {
                    problem = problem ?? "第 \(rowNumber) 行引用了不存在的共享字符串"
                    return
                }
                value = sharedStrings[index]
            }
            while cells.count < cellColumn { cells.append("") }
            if cellColumn < cells.count { cells[cellColumn] = value } else { cells.append(value) }
        case "row":
            rows.append((line: rowNumber, cells: cells))
        case "worksheet":
            closedRoots.insert(name)
        default: break
        }
    }
}
