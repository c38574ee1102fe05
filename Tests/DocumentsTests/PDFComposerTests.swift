import Foundation
import Testing
@testable import Documents

@Suite("PDF 排版")
struct PDFComposerTests {
    let body = TextStyle(family: .serif, size: FontSize.size3)

    @Test("长段落跨页续排；页码按 GB/T 9704 单页居右、双页居左")
    func paragraphsContinueAndPagesAreNumbered() throws {
        let sentences = (1...400).map { "第\($0)句正文。" }.joined()
        let composer = PDFComposer(title: "排版测试", orientation: .portrait)
        composer.paragraph("排版测试", style: TextStyle(family: .sans, size: FontSize.size2, bold: true, alignment: .center))
        composer.paragraph(sentences, style: body, spaceBefore: 12)
        let folder = try OutputFolder("composer-paragraphs")
        let probe = try PDFProbe(writing: try composer.finish(), to: folder.file("排版测试.pdf"))

        try probe.expectSoundA4(landscape: false, title: "排版测试")
        let fonts = try probe.fonts().map(\.name)
        #expect(fonts.contains { $0.contains("NotoSerifCJK") })
        #expect(fonts.contains { $0.contains("NotoSansCJK") })
        let pages = try probe.pageCount()
        #expect(pages >= 3)
        let page = PageLayout(landscape: false)
        try page.expectWordsInTypeArea(probe)
        #expect(try page.bodyText(probe).contains("排版测试" + sentences))

        let middle = page.width / 2
        for number in 1...pages {
            let below = page.bodyBottom + 1
            let left = try probe.text(page: number, x: 0, y: below, width: middle, height: page.height - below).compacted
            let right = try probe.text(page: number, x: middle, y: below, width: middle, height: page.height - below).compacted
            if number.isMultiple(of: 2) {
                #expect(left == "—\(number)—" && right.isEmpty, "第 \(number) 页页码应居左")
            } else {
                #expect(right == "—\(number)—" && left.isEmpty, "第 \(number) 页页码应居右")
            }
        }
    }

    @Test("横向和纵向页面可以混排")
    func mixedOrientations() throws {
        let composer = PDFComposer(title: "混排", orientation: .portrait)
        composer.paragraph("纵向页", style: body)
        composer.startPage(.landscape)
        composer.paragraph("横向页", style: body)
        composer.startPage(.portrait)
        composer.paragraph("又是纵向页", style: body)
        let folder = try OutputFolder("composer-orientation")
        let probe = try PDFProbe(writing: try composer.finish(), to: folder.file("混排.pdf"))
        #expect(try probe.qpdfCheck().status == 0)
        let sizes = try probe.pageSizes().map { $0.width > $0.height }
        #expect(sizes == [false, true, false])
        #expect(try probe.text(page: 2).compacted.contains("横向页"))
    }

    @Test("表格列宽：数字和编号放不下时从有余量的列借宽，借不够时保持比例")
    func columnWidthsMakeRoomForNumbers() {
        let table = Table(columns: [1, 1, 1, 1].map { Table.Column(weight: $0) }, rows: [])
        #expect(table.columnWidths(totalWidth: 400) == [100, 100, 100, 100])
        let widened = table.columnWidths(totalWidth: 400, minimums: [160, 20, 20, 40])
        #expect(abs(widened[0] - 160) < 0.001)
        #expect(abs(widened.reduce(0, +) - 400) < 0.001)
        #expect(widened[1...].allSatisfy { $0 < 100 && $0 >= 20 })
        #expect(table.columnWidths(totalWidth: 400, minimums: [300, 90, 90, 90]) == [100, 100, 100, 100], "余量不够：保持比例")
        #expect(TextFlow.unbreakableRuns("保单号PQAB-2022/01，金额9,600.00万元 50%") == ["PQAB-2022/01", "9,600.00", "50%"])
    }
}
