import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

@testable import Cryptography

@Suite("二维码：SVG 结构，经 rsvg-convert 渲染后由 zbarimg 识读")
struct QRCodeTests {
    static let uri = TOTP.provisioningURI(secret: Data("12345678901234567890".utf8), account: "王五@山西示例机械有限公司")

    /// Collects the elements and attributes of an SVG, failing on any XML error.
    final class Elements: NSObject, XMLParserDelegate {
        var names: [String] = []
        var attributes: [[String: String]] = []

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String]) {
            names.append(name)
            self.attributes.append(attributes)
        }
    }

    @Test("SVG 是合法 XML：一个白色背景、一条路径，静区 4 个模块，尺寸为模块数 × 模块尺寸", arguments: [1, 4, 7])
    func wellFormed(moduleSize: Int) throws {
        let svg = try QRCode.svg(Self.uri, moduleSize: moduleSize)
        let parser = XMLParser(data: Data(svg.utf8))
        let elements = Elements()
        parser.delegate = elements
        #expect(parser.parse(), "\(parser.parserError.map(String.init(describing:)) ?? "")")
        #expect(elements.names == ["svg", "rect", "path"])
        let root = elements.attributes[0]
        #expect(root["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(root["shape-rendering"] == "crispEdges")
        let viewBox = try #require(root["viewBox"]).split(separator: " ").compactMap { Int($0) }
        #expect(viewBox.count == 4 && viewBox[2] == viewBox[3])
        let modules = viewBox[2] - 2 * QRCode.quietZone
        // A version-v symbol is 17 + 4v modules wide.
        #expect(modules >= 21 && (modules - 17) % 4 == 0)
        #expect(root["width"] == String(viewBox[2] * moduleSize) && root["height"] == root["width"])
        #expect(elements.attributes[1]["fill"] == "#fff")
        let path = try #require(elements.attributes[2]["d"])
        // The top-left finder pattern's first row, seven dark modules, sits just inside the four-module quiet zone.
        #expect(path.hasPrefix("M4 4h7v1h-7z"))
        // Every run starts inside the quiet zone's margin.
        let starts = path.split(separator: "z").map { $0.dropFirst().split(separator: "h")[0].split(separator: " ").compactMap { Int($0) } }
        #expect(starts.allSatisfy { $0.count == 2 && $0.allSatisfy { (QRCode.quietZone..<QRCode.quietZone + modules).contains($0) } })
    }

    @Test("渲染为 PNG 后 zbarimg 读出原文：含中文的 otpauth URI 与中文文本",
          .enabled(if: Tool.path("rsvg-convert") != nil && Tool.path("zbarimg") != nil),
          arguments: [uri, "晋城市工业企业技术改造专项资金：张三，验证码 123456"])
    func decodes(text: String) throws {
        try withTemporaryFolder { folder in
            let svg = folder.appendingPathComponent("code.svg")
            let png = folder.appendingPathComponent("code.png")
            try Data(QRCode.svg(text, moduleSize: 4).utf8).write(to: svg)
            _ = try Tool.run("rsvg-convert", ["--format", "png", "--output", png.path, svg.path])
            let decoded = try Tool.run("zbarimg", ["--quiet", "--raw", png.path])
            #expect(String(decoding: decoded, as: UTF8.self) == text + "\n")
        }
    }

    @Test("空内容和超出容量的内容给出原因")
    func refusals() throws {
        let empty = try #require(throws: CryptographyError.self) { try QRCode.svg("") }
        #expect(empty.message == "二维码生成失败：内容为空")
        let long = try #require(throws: CryptographyError.self) { try QRCode.svg(String(repeating: "晋", count: 1000)) }
        #expect(long.message.contains("内容过长（3000 字节）"))
    }
}
