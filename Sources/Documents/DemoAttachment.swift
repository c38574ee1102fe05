import Foundation

/// Stand-ins for the scans an enterprise uploads, for the demo data of `jigai demo`: each page says what it replaces.
/// Like a scan they carry no page number; the 申请报告 stamps its own.
public enum DemoAttachment {
    public static func pdf(title: String, enterprise: String, pages: Int = 1) throws -> Data {
        let composer = PDFComposer(title: title, orientation: .portrait, numbersPages: false)
        for page in 1...max(1, pages) {
            if page > 1 { composer.startPage() }
            composer.paragraph(title, style: TextStyle(family: .sans, size: FontSize.size3, bold: true, alignment: .center))
            composer.space(24)
            composer.paragraph("演示附件：本页由晋技改演示数据生成，代替\(enterprise)上传的扫描件（第 \(page) 页，共 \(pages) 页）。", style: TextStyle(family: .serif, size: FontSize.size4), spaceBefore: 0)
        }
        return try composer.finish()
    }
}
