import Foundation

extension SummarySheet {
    /// The sheet on landscape A4 pages; long lists continue with the header row repeated.
    public func pdf() throws -> Data {
        let composer = PDFComposer(title: Self.title, orientation: .landscape)
        composer.paragraph(Self.title, style: TextStyle(family: .sans, size: FontSize.size2, bold: true, alignment: .center))
        composer.paragraph(reviewAuthorityLine, style: TextStyle(family: .serif, size: FontSize.smallSize4), spaceBefore: 12)
        composer.space(6)

        let columns = layoutColumns
        // 小五: twelve (or fourteen) columns across a landscape page, with a mobile number unbroken.
        let headerStyle = TextStyle(family: .sans, size: FontSize.smallSize5, alignment: .center)
        let bodyStyle = TextStyle(family: .serif, size: FontSize.smallSize5)
        composer.table(Table(
            columns: pdfColumnWidths.map { Table.Column(weight: $0) },
            header: Table.Row(cells: headers.map { Table.Cell($0, style: headerStyle) }),
            rows: cellTexts.map { texts in
                Table.Row(cells: zip(columns, texts).map { column, text in
                    Table.Cell(text, style: bodyStyle.aligned(column.centered ? .center : .left))
                })
            },
            horizontalPadding: 3
        ))

        let noteStyle = TextStyle(family: .serif, size: FontSize.size5)
        composer.paragraphs(
            [TextFlow.Paragraph(text: "填表说明：", style: noteStyle, spaceBefore: 10)]
                + instructions.map { TextFlow.Paragraph(text: $0, style: noteStyle, spaceBefore: 2) }
        )
        return try composer.finish()
    }
}
