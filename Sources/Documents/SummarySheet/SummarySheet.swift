/// 山西省技术改造专项资金奖励项目申报汇总表 (通知附件3): the list a reviewing authority sends to the province with its 审核意见,
/// or, with 状态 and 负责处室 added, the province-wide export.
public struct SummarySheet: Sendable, Equatable {
    public static let title = "山西省技术改造专项资金奖励项目申报汇总表"

    /// One application, as the columns of attachment 3 show it.
    public struct Row: Sendable, Equatable {
        public var city: String
        public var county: String
        /// Empty when the enterprise is not in a development zone.
        public var zone: String
        public var enterpriseName: String
        public var programme: String
        public var direction: String
        public var projectName: String
        public var ownership: String
        public var industryCategory: String
        public var industry: String
        public var contactName: String
        public var contactMobile: String
        /// Only shown in the province-wide variant.
        public var status: String
        /// Only shown in the province-wide variant.
        public var division: String

        public init(
            city: String,
            county: String,
            zone: String = "",
            enterpriseName: String,
            programme: String,
            direction: String,
            projectName: String,
            ownership: String,
            industryCategory: String,
            industry: String,
            contactName: String,
            contactMobile: String,
            status: String = "",
            division: String = ""
        ) {
            self.city = city
            self.county = county
            self.zone = zone
            self.enterpriseName = enterpriseName
            self.programme = programme
            self.direction = direction
            self.projectName = projectName
            self.ownership = ownership
            self.industryCategory = industryCategory
            self.industry = industry
            self.contactName = contactName
            self.contactMobile = contactMobile
            self.status = status
            self.division = division
        }
    }

    public enum Columns: Sendable, Equatable {
        /// Exactly the twelve columns of attachment 3.
        case attachment3
        /// Attachment 3 followed by 状态 and 负责处室, for the provincial admin.
        case provinceWide
    }

    struct Column {
        let title: String
        /// Excel column width in characters of the default font.
        let excelWidth: Double
        let centered: Bool
        /// Nil for 序号, which counts the rows.
        let value: (@Sendable (Row) -> String)?
    }

    /// The authority whose seal the sheet carries: a 市工信局, the 综改示范区管委会, or the 省工信厅 for the province-wide export.
    public var reviewAuthority: String
    public var rows: [Row]
    public var columns: Columns
    /// 填表说明 (附件3) of the round the rows belong to, one paragraph per entry.
    public var instructions: [String]

    public init(reviewAuthority: String, rows: [Row], columns: Columns = .attachment3, instructions: [String]) {
        self.reviewAuthority = reviewAuthority
        self.rows = rows
        self.columns = columns
        self.instructions = instructions
    }

    public var reviewAuthorityLine: String { "审核单位（公章）：\(reviewAuthority)" }

    /// The column titles in order, as printed in the header row.
    public var headers: [String] { layoutColumns.map(\.title) }

    /// The printed texts of every row, 序号 first.
    public var cellTexts: [[String]] {
        rows.enumerated().map { index, row in
            layoutColumns.map { $0.value?(row) ?? String(index + 1) }
        }
    }

    /// PDF column widths in points: 小五 text across the landscape type area, wide enough for a city name,
    /// a 11-digit mobile number and a division name on one line.
    var pdfColumnWidths: [Double] {
        switch columns {
        case .attachment3: [26, 40, 40, 52, 88, 54, 88, 88, 50, 50, 50, 68]
        case .provinceWide: [26, 36, 36, 44, 72, 48, 70, 70, 46, 46, 46, 64, 48, 46]
        }
    }

    var layoutColumns: [Column] {
        let attachment3 = [
            Column(title: "序号", excelWidth: 6, centered: true, value: nil),
            Column(title: "所在市", excelWidth: 10, centered: true) { $0.city },
            Column(title: "所在县", excelWidth: 10, centered: true) { $0.county },
            Column(title: "所在开发区", excelWidth: 14, centered: false) { $0.zone },
            Column(title: "企业（单位）名称", excelWidth: 24, centered: false) { $0.enterpriseName },
            Column(title: "申报专项", excelWidth: 16, centered: false) { $0.programme },
            Column(title: "申报方向", excelWidth: 26, centered: false) { $0.direction },
            Column(title: "项目名称", excelWidth: 26, centered: false) { $0.projectName },
            Column(title: "企业（单位）性质", excelWidth: 10, centered: true) { $0.ownership },
            Column(title: "行业分类", excelWidth: 14, centered: true) { $0.industryCategory },
            Column(title: "所属行业", excelWidth: 12, centered: true) { $0.industry },
            Column(title: "项目联系人及手机", excelWidth: 18, centered: false) { "\($0.contactName) \($0.contactMobile)" },
        ]
        switch columns {
        case .attachment3:
            return attachment3
        case .provinceWide:
            return attachment3 + [
                Column(title: "状态", excelWidth: 12, centered: true) { $0.status },
                Column(title: "负责处室", excelWidth: 12, centered: true) { $0.division },
            ]
        }
    }
}
