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

    /// 填表说明 of attachment 3 (2023 notice), one paragraph per entry.
    public static let noticeInstructions = [
        "1.申报专项：填写集聚集约增效专项、核心竞争力提升专项、技术创新牵引专项、数字化智能化改造专项、企业增量提质专项其中一项。",
        "2.申报方向：按以下要求分别填写。",
        "集聚集约增效专项：填写新型工业化载体—国家级制造业高质量发展试验区、新型工业化载体—国家新型工业化产业示范基地、新型工业化载体—省级新型工业化产业示范基地、新型工业化载体—先进制造业集群初赛、新型工业化载体—先进制造业集群决赛、新型工业化载体—国家级绿色园区其中一项。",
        "核心竞争力提升专项：填写国家首台（套）重大技术装备、国家新材料首批次应用其中一项。",
        "技术创新牵引专项：填写研发费用奖励、仿制药一致性评价、创新药研发和产业化、国家级制造业创新中心其中一项。",
        "数字化智能化改造专项：填写智能制造诊断、两化融合管理体系贯标其中一项。",
        "企业增量提质专项：填写营收增量奖励、消费品增量奖励、试点示范奖励、“白名单”企业奖励其中一项。",
        "3.项目名称：按以下要求分别填写。",
        "集聚集约增效专项：新型工业化载体方向填写国家级制造业高质量发展试验区名称、国家新型工业化产业示范基地名称、省级新型工业化产业示范基地名称、先进制造业集群名称、国家级绿色园区名称其中一项。",
        "核心竞争力提升专项：填写首台（套）重大技术装备名称、新材料首批次应用产品名称其中一项。",
        "技术创新牵引专项：填写“研发费用奖励”、仿制药名称、创新药名称、国家级制造业创新中心名称其中一项。",
        "数字化智能化改造专项：填写“智能制造诊断”、两化融合管理体系贯标评定等级其中一项。",
        "企业增量提质专项：填写营收增量奖励（行业）、消费品增量奖励（行业）、申报试点示范名称、“白名单”企业奖励（2022年6至12月、或2023年1至3月）其中一项。",
        "4.企业（单位）性质填写央企、省属国企、地方国企、民营企业、其他。",
        "5.行业分类填写传统优势产业、战略性新兴产业。",
        "6.所属行业：传统优势产业填写钢铁、有色、建材、焦化、化工、传统装备制造、食品、轻工、纺织其中一项；战略性新兴产业填写高端装备制造、新材料、废弃资源综合利用、现代煤化工、电子信息、新能源汽车、现代医药、数字产业其中一项。",
    ]

    /// The authority whose seal the sheet carries: a 市工信局, the 综改示范区管委会, or the 省工信厅 for the province-wide export.
    public var reviewAuthority: String
    public var rows: [Row]
    public var columns: Columns
    public var instructions: [String]

    public init(reviewAuthority: String, rows: [Row], columns: Columns = .attachment3, instructions: [String] = SummarySheet.noticeInstructions) {
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
