import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// The cells of an .xlsx file's first worksheet, read from the unzipped XML parts.
struct XLSXProbe {
    /// Cell texts by reference ("B4"); shared and inline strings resolved, numbers as written.
    private(set) var cells: [String: String] = [:]
    private(set) var mergedRanges: [String] = []
    private(set) var pageSetup: [String: String] = [:]
    private(set) var definedNames: [String: String] = [:]
    private(set) var rowHeights: [Int: Double] = [:]

    init(_ url: URL) throws {
        // A workbook written row by row (constant memory) has its strings inline and no shared-string part.
        let sharedStrings = (try? Self.parse(try Self.part("xl/sharedStrings.xml", of: url, required: false))) ?? []
        var strings: [String] = []
        var current: String?
        for event in sharedStrings {
            switch event {
            case .start("si", _): current = ""
            case let .text(text) where current != nil: current! += text
            case .end("si"):
                strings.append(current ?? "")
                current = nil
            default: break
            }
        }

        var reference: String?
        var type: String?
        var value = ""
        var insideValue = false
        for event in try Self.parse(try Self.part("xl/worksheets/sheet1.xml", of: url)) {
            switch event {
            case let .start("c", attributes):
                reference = attributes["r"]
                type = attributes["t"]
                value = ""
            case .start("v", _), .start("t", _): insideValue = true
            case let .text(text) where insideValue: value += text
            case .end("v"), .end("t"): insideValue = false
            case .end("c"):
                if let reference {
                    cells[reference] = type == "s" ? strings[Int(value)!] : value
                }
                reference = nil
            case let .start("mergeCell", attributes): mergedRanges.append(attributes["ref"] ?? "")
            case let .start("pageSetup", attributes): pageSetup = attributes
            case let .start("row", attributes):
                if let row = attributes["r"].flatMap(Int.init), let height = attributes["ht"].flatMap(Double.init) {
                    rowHeights[row] = height
                }
            default: break
            }
        }

        var name: String?
        for event in try Self.parse(try Self.part("xl/workbook.xml", of: url)) {
            switch event {
            case let .start("definedName", attributes): name = attributes["name"]
            case let .text(text) where name != nil: definedNames[name!, default: ""] += text
            case .end("definedName"): name = nil
            default: break
            }
        }
    }

    subscript(reference: String) -> String? { cells[reference] }

    /// Column letters for a 0-based column index (A … Z is enough for these sheets).
    static func column(_ index: Int) -> String { String(UnicodeScalar(UInt8(65 + index))) }

    private static func part(_ path: String, of url: URL, required: Bool = true) throws -> Data {
        let result = try ExternalTool.run("unzip", ["-p", url.path, path])
        guard result.status == 0 else {
            if required { try #require(result.status == 0, "unzip \(path): \(result.errors)") }
            throw ProbeError.missingPart(path)
        }
        return result.data
    }

    enum ProbeError: Error {
        case missingPart(String)
    }

    enum Event: Equatable {
        case start(String, [String: String])
        case end(String)
        case text(String)
    }

    private final class Collector: NSObject, XMLParserDelegate {
        var events: [Event] = []

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            events.append(.start(name, attributes))
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            events.append(.end(name))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            events.append(.text(string))
        }
    }

    private static func parse(_ data: Data) throws -> [Event] {
        let parser = XMLParser(data: data)
        let collector = Collector()
        parser.delegate = collector
        try #require(parser.parse(), "XML 无法解析：\(String(describing: parser.parserError))")
        return collector.events
    }
}
