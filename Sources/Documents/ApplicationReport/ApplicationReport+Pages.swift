import Foundation
import PolicyKit

/// The pages the report draws itself, each after the notice's template.
extension ApplicationReport {
    static let headingStyle = TextStyle(family: .sans, size: FontSize.size2, bold: true, alignment: .center)
    static let sectionStyle = TextStyle(family: .sans, size: FontSize.size3)
    static let subheadingStyle = TextStyle(family: .serif, size: FontSize.size3, bold: true)
    static let bodyStyle = TextStyle(family: .serif, size: FontSize.size3)
    static let labelStyle = TextStyle(family: .serif, size: FontSize.smallSize4, alignment: .center)
    static let valueStyle = TextStyle(family: .serif, size: FontSize.smallSize4)
    static let tableHeaderStyle = TextStyle(family: .sans, size: FontSize.size5, alignment: .center)
    static let tableBodyStyle = TextStyle(family: .serif, size: FontSize.size5, alignment: .center)
    /// Chinese paragraphs start two characters in.
    static let indent = "　　"

    /// 附件2 封面: the two title lines, eight underlined fields, the month in Chinese numerals at the bottom.
    func drawCover(on composer: PDFComposer) {
        composer.space(40)
        composer.paragraph(round.programmeTitle, style: TextStyle(family: .sans, size: FontSize.size2, bold: true, alignment: .center))
        composer.paragraph("申 请 报 告", style: TextStyle(family: .sans, size: 36, bold: true, alignment: .center), spaceBefore: 24)
        composer.space(72)
        let style = TextStyle(family: .serif, size: FontSize.size3)
        let fields = [
            // The template's line reads “项目单位名称：___（单位公章）___”: the seal goes beside the name.
            ("项目单位名称", "\(enterpriseName)（单位公章）"),
            ("申报专项", direction.programme.name),
            ("申报方向", direction.fullName),
            ("项目名称", projectName),
            ("所属行业", application.enterprise.industry ?? ""),
            ("支持方式", round.supportMode),
            ("联系人", application.contact.name ?? ""),
            ("联系手机", application.contact.mobile ?? ""),
        ]
        for (label, value) in fields {
            composer.underlinedField(label: label, value: value, labelWidth: 6 * style.size, style: style, lineSpacing: 14)
        }
        composer.paragraphAtBottom(ChineseNumerals.coverDate(year: date.year, month: date.month), style: style.aligned(.center))
    }

    /// 附件2 二（二）: every part and attachment with the page it starts on.
    func drawContents(_ entries: [ReportLayout.Entry], on composer: PDFComposer) {
        composer.paragraph("目　　录", style: Self.headingStyle)
        composer.space(16)
        let header = TextStyle(family: .sans, size: FontSize.smallSize4, alignment: .center)
        composer.table(Table(
            columns: [Table.Column(weight: 8), Table.Column(weight: 1.3)],
            header: Table.Row(cells: [Table.Cell("材料名称", style: header), Table.Cell("页码", style: header)]),
            rows: entries.map { entry in
                Table.Row(cells: [
                    Table.Cell(entry.title, style: Self.valueStyle),
                    Table.Cell(String(entry.page), style: Self.valueStyle.aligned(.center)),
                ], minimumHeight: 26)
            }
        ))
    }

    /// 附件2 二（一）: the applicant's row under the 情况表's twelve columns, with the form's 填表说明.
    func drawSituationTable(on composer: PDFComposer) {
        let enterprise = application.enterprise
        let city = enterprise.city.flatMap(round.city)
        let county = city?.counties.first { $0.code == enterprise.county }
        let sheet = SummarySheet(reviewAuthority: "", rows: [SummarySheet.Row(
            city: city?.name ?? enterprise.city ?? "",
            county: county?.name ?? enterprise.county ?? "",
            zone: enterprise.zone ?? "",
            enterpriseName: enterpriseName,
            programme: direction.programme.name,
            direction: direction.fullName,
            projectName: projectName,
            ownership: enterprise.ownership ?? "",
            industryCategory: enterprise.industryCategory ?? "",
            industry: enterprise.industry ?? "",
            contactName: application.contact.name ?? "",
            contactMobile: application.contact.mobile ?? ""
        )], instructions: round.summaryInstructions)
        composer.paragraph(Self.situationTableTitle, style: Self.headingStyle)
        composer.paragraph("项目申报企业（单位）（公章）：\(enterpriseName)", style: Self.valueStyle, spaceBefore: 12)
        composer.space(6)
        let bodyStyle = TextStyle(family: .serif, size: FontSize.smallSize5, alignment: .center)
        composer.table(Table(
            columns: sheet.pdfColumnWidths.map { Table.Column(weight: $0) },
            header: Table.Row(cells: sheet.headers.map { Table.Cell($0, style: TextStyle(family: .sans, size: FontSize.smallSize5, alignment: .center)) }),
            rows: sheet.cellTexts.map { Table.Row(cells: $0.map { Table.Cell($0, style: bodyStyle) }, minimumHeight: 40) },
            horizontalPadding: 3
        ))
        let noteStyle = TextStyle(family: .serif, size: FontSize.size5)
        composer.paragraphs(
            [TextFlow.Paragraph(text: "填表说明：", style: noteStyle, spaceBefore: 10)]
                + sheet.instructions.map { TextFlow.Paragraph(text: $0, style: noteStyle, spaceBefore: 2) }
        )
    }

    /// 附件2 三: （一）the applicant's overview and finances, （二）the direction's own content, field by field from the round file.
    func drawMainText(on composer: PDFComposer) {
        composer.paragraph(Self.mainTextTitle, style: Self.headingStyle)
        composer.paragraph("（一）申报单位概况", style: Self.sectionStyle, spaceBefore: 16)
        var number = 0
        for text in round.overviewTexts {
            number += 1
            composer.paragraph("\(number).\(text.label)", style: Self.subheadingStyle, spaceBefore: 8)
            composer.paragraphs(Self.indentedParagraphs(application.overview.texts[text.id]))
        }
        number += 1
        composer.keepSpace(120)
        composer.paragraph("\(number).财务状况", style: Self.subheadingStyle, spaceBefore: 8)
        composer.space(6)
        drawFinanceTable(on: composer)

        composer.paragraph("（二）申报奖励事项要求编制的其他内容", style: Self.sectionStyle, spaceBefore: 16)
        composer.paragraphs(Self.indentedParagraphs("申报方向：\(direction.fullName)"))
        var item = 0
        // 附件2 三（二）5（1）（2） lists the figures first: 所属行业, both years' 营业收入, the 增量 and the 增速.
        for figure in direction.direction.reportFigures ?? [] {
            switch figure {
            case .revenueChange:
                for line in application.revenueFigures(round: round) {
                    item += 1
                    composer.paragraphs([TextFlow.Paragraph(text: "\(item).\(line.text)", style: Self.bodyStyle, spaceBefore: 8)])
                }
            }
        }
        for field in direction.fields {
            item += 1
            drawField(field, number: item, on: composer)
        }
    }

    private func drawFinanceTable(on composer: PDFComposer) {
        let finance = round.finance
        composer.table(Table(
            columns: [Table.Column(weight: 2)] + finance.periods.map { _ in Table.Column(weight: 1.4) },
            header: Table.Row(cells: [Table.Cell("项目", style: Self.tableHeaderStyle)] + finance.periods.map { Table.Cell($0.label, style: Self.tableHeaderStyle) }),
            rows: finance.items.map { item in
                let unit = item.type == .percent ? "%" : "万元"
                return Table.Row(cells: [Table.Cell("\(item.label)（\(unit)）", style: Self.tableBodyStyle)] + finance.periods.map { period in
                    let value = application.overview.finances[period.id]?[item.id]
                    return Table.Cell(value?.grouped() ?? "", style: Self.tableBodyStyle.aligned(.right))
                })
            } + application.overview.otherFinances.map { other in
                // The enterprise's own rows (“包括但不限于”), its label carrying the unit.
                Table.Row(cells: [Table.Cell(other.label, style: Self.tableBodyStyle)] + finance.periods.map { period in
                    Table.Cell(other.values[period.id]?.grouped() ?? "", style: Self.tableBodyStyle.aligned(.right))
                })
            }
        ))
    }

    /// One content field: its label as a numbered heading, then its value as text or as a table.
    private func drawField(_ field: FieldSpec, number: Int, on composer: PDFComposer) {
        let value = application.content[field.id]
        switch field.type {
        case .longText:
            composer.paragraph("\(number).\(field.label)", style: Self.subheadingStyle, spaceBefore: 8)
            composer.paragraphs(Self.indentedParagraphs(value?.text))
        case .table:
            // The heading, the table's header and a first row stay together.
            composer.keepSpace(120)
            composer.paragraph("\(number).\(field.label)", style: Self.subheadingStyle, spaceBefore: 8)
            composer.space(6)
            drawTable(field, rows: value?.rows ?? [], on: composer)
        default:
            let text = value.map { Self.format($0, type: field.type, withUnit: true) } ?? "未填写"
            composer.paragraphs([TextFlow.Paragraph(text: "\(number).\(field.label)：\(text)", style: Self.bodyStyle, spaceBefore: 8)])
        }
        // A period's totals are a row of its table; every other figure is a line under the field.
        if field.figure?.kind != .periodTotal, let figure = application.figure(for: field, round: round) {
            composer.paragraphs([TextFlow.Paragraph(text: Self.indent + figure.text, style: Self.bodyStyle, spaceBefore: 4)])
        }
    }

    /// A table field with its columns from the round file. Two deliberate additions: a monthly output table gains the
    /// 同比增长 column the notice asks for (附件2 四（六）5（4）), and the 仿制药 varieties are printed as the notice's
    /// 申报表, with the enterprise column and the form's 备注.
    private func drawTable(_ field: FieldSpec, rows: [[String: FieldValue]], on composer: PDFComposer) {
        let columns = field.columns ?? []
        let ids = Set(columns.map(\.id))
        let growth = ids.isSuperset(of: ["priorOutput", "currentOutput"])
        let drugForm = field.label == GenericDrugForm.title
        var headers = columns.map { column in column.unit.map { "\(column.label)（\($0)）" } ?? column.label }
        var weights = columns.map { $0.type == .amount || $0.type == .year || $0.type == .percent ? 1.0 : 1.5 }
        if growth {
            headers.append("同比增长（%）")
            weights.append(1)
        }
        if drugForm {
            headers = GenericDrugForm.headers
            weights = [1.05, 1.6, 1.05, 1.3, 1.3, 0.9]
        }
        // A table of many columns (the insurance table's nine) is set a size smaller, so that its numbers fit whole.
        let wide = headers.count > 6
        let headerStyle = wide ? TextStyle(family: .sans, size: FontSize.smallSize5, alignment: .center) : Self.tableHeaderStyle
        let bodyStyle = wide ? TextStyle(family: .serif, size: FontSize.smallSize5, alignment: .center) : Self.tableBodyStyle
        if drugForm {
            // The 申报表's own line above the table (附件2 四（六）), where the enterprise seals it.
            composer.paragraph("项目申报企业（单位）（公章）：\(enterpriseName)", style: TextStyle(family: .serif, size: FontSize.smallSize4), spaceBefore: 6)
        }
        var body = rows.map { row in
            var cells = columns.map { column in
                Table.Cell(row[column.id].map { Self.format($0, type: column.type, withUnit: false) } ?? "",
                           style: bodyStyle.aligned(column.type == .amount ? .right : .center))
            }
            if growth {
                let change = row["priorOutput"]?.number.flatMap { prior in
                    row["currentOutput"]?.number.flatMap { PercentChange(from: prior, to: $0) }
                }
                cells.append(Table.Cell(change?.formatted() ?? "—", style: bodyStyle.aligned(.right)))
            }
            if drugForm { cells.insert(Table.Cell(enterpriseName, style: bodyStyle), at: 0) }
            return Table.Row(cells: cells, minimumHeight: 24)
        }
        // 附件2 三（二）5（4）: the period's 产值 and its 同比 as a whole, under the months.
        if growth, field.figure?.kind == .periodTotal, let totals = application.outputTotals(of: field) {
            let label = field.figure?.label ?? "合计"
            body.append(Table.Row(cells: columns.map { column in
                switch column.id {
                case "priorOutput": Table.Cell(totals.prior.grouped(), style: bodyStyle.aligned(.right))
                case "currentOutput": Table.Cell(totals.current.grouped(), style: bodyStyle.aligned(.right))
                case columns.first?.id: Table.Cell(label, style: bodyStyle)
                default: Table.Cell("", style: bodyStyle)
                }
            } + [Table.Cell(totals.change?.formatted() ?? "—", style: bodyStyle.aligned(.right))], minimumHeight: 24))
        }
        composer.table(Table(
            columns: weights.map { Table.Column(weight: $0) },
            header: Table.Row(cells: headers.map { Table.Cell($0, style: headerStyle) }),
            rows: body,
            horizontalPadding: 3
        ))
        if drugForm {
            let noteStyle = TextStyle(family: .serif, size: FontSize.size5)
            composer.paragraphs(GenericDrugForm.notes.enumerated().map { index, note in
                TextFlow.Paragraph(text: index == 0 ? note : "　　　" + note, style: noteStyle, spaceBefore: index == 0 ? 8 : 2)
            })
        }
    }

    /// A value as the report prints it: amounts with thousands separators, dates and years in Chinese.
    static func format(_ value: FieldValue, type: FieldType, withUnit: Bool) -> String {
        switch value {
        case .number(let number):
            switch type {
            case .amount: return number.grouped() + (withUnit ? " 万元" : "")
            case .percent: return number.grouped() + (withUnit ? "%" : "")
            case .year: return "\(number.integerValue)年"
            default: return number.compact()
            }
        case .bool(let flag):
            return flag ? "是" : "否"
        case .date(let text), .text(let text):
            if type == .date, let date = CalendarDate(text) { return date.chinese }
            if type == .year, let year = Int(text) { return "\(year)年" }
            if type == .amount || type == .percent, let number = FixedDecimal(text) {
                return format(.number(number), type: type, withUnit: withUnit)
            }
            return text
        case .rows(let rows):
            return "\(rows.count) 行"
        }
    }

    /// Each line of a text as an indented paragraph; a missing text says so.
    static func indentedParagraphs(_ text: String?) -> [TextFlow.Paragraph] {
        let lines = (text ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return (lines.isEmpty ? ["未填写"] : lines).map { TextFlow.Paragraph(text: indent + $0, style: bodyStyle, spaceBefore: 4) }
    }

    /// 附件2 承诺书: the application's particulars, the four commitments with the direction's own under item 4,
    /// the signature lines, and the city's 审核意见 block.
    func drawCommitmentLetter(on composer: PDFComposer) {
        composer.paragraph("承　诺　书", style: Self.headingStyle)
        composer.space(8)
        func row(_ label: String, _ value: String) -> Table.Row {
            Table.Row(cells: [Table.Cell(label, style: Self.labelStyle), Table.Cell(value, style: Self.valueStyle)], minimumHeight: 24)
        }
        composer.table(Table(
            columns: [Table.Column(weight: 3), Table.Column(weight: 7)],
            rows: [
                row("项目申报\n企业（单位）", enterpriseName),
                row("申报专项", direction.programme.name),
                row("申报方向", direction.fullName),
                row("项目名称", projectName),
                row("项目实施目标", application.performanceTargets.goals.enumerated().map { "目标\($0.offset + 1)：\($0.element)" }.joined(separator: "\n")),
            ]
        ))

        let style = TextStyle(family: .serif, size: FontSize.smallSize4)
        var promises = [TextFlow.Paragraph(text: "项目申报企业（单位）承诺：", style: style)]
        for (index, text) in round.generalCommitments.enumerated() {
            promises.append(TextFlow.Paragraph(text: Self.indent + "\(index + 1).\(text)", style: style, spaceBefore: 4))
        }
        let own = direction.commitments.map(\.text)
        for (index, text) in (own.isEmpty ? ["无。"] : own).enumerated() {
            promises.append(TextFlow.Paragraph(text: Self.indent + "（\(index + 1)）\(text)", style: style, spaceBefore: 2))
        }
        promises += [
            TextFlow.Paragraph(text: "单位法人代表（签名）　　　　　　　　（单位公章）", style: style, spaceBefore: 12),
            TextFlow.Paragraph(text: "项目负责人（签名）　　　　　　　　　联系电话：", style: style, spaceBefore: 8),
            TextFlow.Paragraph(text: "年　　月　　日", style: style.aligned(.right), spaceBefore: 4),
        ]
        let opinion = [
            TextFlow.Paragraph(text: "市工信局（山西转型综改示范区管委会）审核意见：", style: style),
            TextFlow.Paragraph(
                text: Self.indent + "该项目经资料审核和现场核查，申报资料和建设项目的真实性、完整性、合规性、一致性符合政策规定和申报要求。如存在不符合的情况，愿意承担相关责任。",
                style: style, spaceBefore: 4
            ),
            TextFlow.Paragraph(text: "（单位公章）", style: style.aligned(.right), spaceBefore: 10),
            TextFlow.Paragraph(text: "年　　月　　日", style: style.aligned(.right), spaceBefore: 4),
        ]
        // The city seals its opinion under the enterprise's commitments: both always share a page.
        composer.table(Table(
            columns: [Table.Column(weight: 1)],
            rows: [
                Table.Row(cells: [Table.Cell(paragraphs: promises, verticalAlignment: .top)]),
                Table.Row(cells: [Table.Cell(paragraphs: opinion, verticalAlignment: .top)]),
            ],
            keepTogetherFrom: 0,
            horizontalPadding: 6,
            verticalPadding: 5
        ))
    }

    /// 附件2 省级专项转移支付项目绩效目标表: 专项名称, 主管部门, funding by source, goals, and the indicators under
    /// every 一级/二级指标 the template lists.
    func drawPerformanceTargets(on composer: PDFComposer) {
        let targets = application.performanceTargets
        let spec = round.performanceTargets
        composer.paragraph("省级专项转移支付项目绩效目标表", style: Self.headingStyle)
        composer.space(12)
        let label = Self.labelStyle
        let value = Self.valueStyle
        let total = spec.fundingSources.reduce(FixedDecimal.zero) { $0 + (targets.funding[$1.id] ?? .zero) }
        let funding = [TextFlow.Paragraph(text: "年度金额：\(total.grouped())", style: value)]
            + spec.fundingSources.enumerated().map { index, source in
                let amount = targets.funding[source.id]?.grouped() ?? ""
                return TextFlow.Paragraph(text: (index == 0 ? "其中：" : "　　　") + "\(source.label)　\(amount)", style: value, spaceBefore: 2)
            }
        let goals = targets.goals.isEmpty ? [""] : targets.goals.enumerated().map { "目标\($0.offset + 1)：\($0.element)" }
        // The label column is as wide in both tables, so that they read as one form.
        composer.table(Table(
            columns: [Table.Column(weight: 1.8), Table.Column(weight: 6.7)],
            rows: [
                Table.Row(cells: [Table.Cell("专项名称", style: label), Table.Cell("山西省技术改造专项资金", style: value)], minimumHeight: 26),
                Table.Row(cells: [Table.Cell("省级主管部门", style: label), Table.Cell(round.issuer, style: value)], minimumHeight: 26),
                Table.Row(cells: [Table.Cell("资金情况\n（万元）", style: label), Table.Cell(paragraphs: funding)]),
                Table.Row(cells: [
                    Table.Cell("总体目标", style: label),
                    Table.Cell(paragraphs: goals.map { TextFlow.Paragraph(text: $0, style: value, spaceBefore: 2) }),
                ], minimumHeight: 40),
            ]
        ))
        var rows: [Table.Row] = []
        for level in spec.indicatorLevels {
            for (secondIndex, second) in level.secondLevel.enumerated() {
                let indicators = targets.indicators.filter { $0.level1 == level.name && $0.level2 == second }
                for (index, indicator) in (indicators.isEmpty ? [nil] : indicators.map(Optional.some)).enumerated() {
                    rows.append(Table.Row(cells: [
                        Table.Cell(secondIndex == 0 && index == 0 ? level.name : "", style: label),
                        Table.Cell(index == 0 ? second : "", style: label),
                        Table.Cell(indicator?.name ?? "", style: value),
                        Table.Cell(indicator?.value ?? "", style: value.aligned(.center)),
                    ], minimumHeight: 22))
                }
            }
        }
        composer.table(Table(
            columns: [1.8, 2.4, 2.6, 1.7].map { Table.Column(weight: $0) },
            header: Table.Row(cells: ["一级指标", "二级指标", "三级指标", "指标值"].map { Table.Cell($0, style: TextStyle(family: .sans, size: FontSize.smallSize4, alignment: .center)) }),
            rows: rows
        ))
        composer.paragraph(
            "说明：1.年度金额中，省级预算填写申请金额，中央、市、县级补助按照企业实际情况填写；2.指标由企业自行制定，三级指标可以根据企业实际情况新增条目。",
            style: TextStyle(family: .serif, size: FontSize.size5), spaceBefore: 8
        )
    }
}
