import Foundation

/// 山西省仿制药一致性评价奖励资金申报表 (通知附件2 三（二）3（2）): the varieties an enterprise asks a
/// 仿制药一致性评价 reward for.
public struct GenericDrugForm: Sendable, Equatable {
    public static let title = "山西省仿制药一致性评价奖励资金申报表"
    public static let headers = ["企业名称", "申请奖励品种名称", "规格及剂型", "开展生物等效性试验情况", "评价进展情况", "备注"]
    public static let bioequivalenceChoices = ["开展", "简化", "不开展"]
    public static let progressChoices = ["资料受理", "已通过一致性评价"]
    public static let notes = [
        "备注：1.规格及剂型。例如：胶囊，0.25mg/粒。",
        "2.开展生物等效性试验情况。填写开展、简化、不开展。",
        "3.评价进展情况。填写资料受理、已通过一致性评价。",
    ]

    public struct Variety: Sendable, Equatable {
        public var enterpriseName: String
        public var drugName: String
        /// 规格及剂型, e.g. 胶囊，0.25mg/粒.
        public var specificationAndDosageForm: String
        /// 开展, 简化 or 不开展.
        public var bioequivalenceStudy: String
        /// 资料受理 or 已通过一致性评价.
        public var evaluationProgress: String
        public var remarks: String

        public init(
            enterpriseName: String,
            drugName: String,
            specificationAndDosageForm: String,
            bioequivalenceStudy: String,
            evaluationProgress: String,
            remarks: String = ""
        ) {
            self.enterpriseName = enterpriseName
            self.drugName = drugName
            self.specificationAndDosageForm = specificationAndDosageForm
            self.bioequivalenceStudy = bioequivalenceStudy
            self.evaluationProgress = evaluationProgress
            self.remarks = remarks
        }

        var cellTexts: [String] {
            [enterpriseName, drugName, specificationAndDosageForm, bioequivalenceStudy, evaluationProgress, remarks]
        }
    }

    /// The enterprise whose seal the form carries.
    public let applicant: String
    public let varieties: [Variety]

    /// Refuses the wordings the form's own 备注 does not allow.
    public init(applicant: String, varieties: [Variety]) throws {
        for variety in varieties {
            guard Self.bioequivalenceChoices.contains(variety.bioequivalenceStudy) else {
                throw DocumentError.valueNotAllowed(field: "开展生物等效性试验情况", value: variety.bioequivalenceStudy, allowed: Self.bioequivalenceChoices)
            }
            guard Self.progressChoices.contains(variety.evaluationProgress) else {
                throw DocumentError.valueNotAllowed(field: "评价进展情况", value: variety.evaluationProgress, allowed: Self.progressChoices)
            }
        }
        self.applicant = applicant
        self.varieties = varieties
    }

    var applicantLine: String { "项目申报企业（单位）（公章）：\(applicant)" }

    /// Portrait A4, like the notice's table.
    public func pdf() throws -> Data {
        let composer = PDFComposer(title: Self.title, orientation: .portrait)
        composer.paragraph(Self.title, style: TextStyle(family: .sans, size: FontSize.size2 - 2, bold: true, alignment: .center))
        composer.paragraph(applicantLine, style: TextStyle(family: .serif, size: FontSize.smallSize4), spaceBefore: 14)
        composer.space(6)

        let headerStyle = TextStyle(family: .sans, size: FontSize.size5, alignment: .center)
        let bodyStyle = TextStyle(family: .serif, size: FontSize.size5, alignment: .center)
        composer.table(Table(
            columns: [1.05, 1.6, 1.05, 1.3, 1.3, 0.9].map { Table.Column(weight: $0) },
            header: Table.Row(cells: Self.headers.map { Table.Cell($0, style: headerStyle) }, minimumHeight: 44),
            rows: varieties.map { variety in
                Table.Row(cells: variety.cellTexts.map { Table.Cell($0, style: bodyStyle) }, minimumHeight: 36)
            },
            horizontalPadding: 3
        ))

        let noteStyle = TextStyle(family: .serif, size: FontSize.size5)
        // Later notes are indented by the width of “备注：”, as in the notice.
        composer.paragraphs(Self.notes.enumerated().map { index, note in
            TextFlow.Paragraph(text: index == 0 ? note : "　　　" + note, style: noteStyle, spaceBefore: index == 0 ? 8 : 2)
        })
        return try composer.finish()
    }
}
