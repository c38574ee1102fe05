import Foundation
import PolicyKit
@testable import Documents

/// Applications as a city bureau would list them.
enum SampleData {
    static let places: [(city: String, county: String, zone: String)] = [
        ("太原市", "小店区", "山西转型综改示范区"),
        ("大同市", "云冈区", ""),
        ("长治市", "潞州区", "长治高新技术产业开发区"),
        ("晋城市", "泽州县", ""),
        ("运城市", "盐湖区", "运城经济技术开发区"),
    ]
    static let applications: [(programme: String, direction: String, project: String, category: String, industry: String)] = [
        ("企业增量提质专项", "营收增量奖励", "营收增量奖励（钢铁）", "传统优势产业", "钢铁"),
        ("技术创新牵引专项", "研发费用奖励", "研发费用奖励", "战略性新兴产业", "新材料"),
        ("集聚集约增效专项", "新型工业化载体—国家级绿色园区", "晋城经济技术开发区", "战略性新兴产业", "高端装备制造"),
        ("技术创新牵引专项", "仿制药一致性评价", "盐酸二甲双胍片", "战略性新兴产业", "现代医药"),
        ("企业增量提质专项", "“白名单”企业奖励", "“白名单”企业奖励（2022年6至12月）", "传统优势产业", "化工"),
        ("数字化智能化改造专项", "两化融合管理体系贯标", "AA级", "战略性新兴产业", "电子信息"),
    ]
    static let ownerships = ["央企", "省属国企", "地方国企", "民营企业", "其他"]
    static let statuses = ["市级审核中", "已报省厅", "处室审核", "拟奖励"]
    static let divisions = ["原材料处", "创新处", "节能处", "消费品处", "运行处", "信息化处"]
    static let surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄"]

    static func rows(_ count: Int) -> [SummarySheet.Row] {
        (0..<count).map { index in
            let place = places[index % places.count]
            let application = applications[index % applications.count]
            return SummarySheet.Row(
                city: place.city,
                county: place.county,
                zone: place.zone,
                enterpriseName: "山西第\(index + 1)号示范制造有限公司",
                programme: application.programme,
                direction: application.direction,
                projectName: application.project,
                ownership: ownerships[index % ownerships.count],
                industryCategory: application.category,
                industry: application.industry,
                contactName: surnames[index % surnames.count] + "工",
                contactMobile: String(13_900_000_000 + index * 7_919),
                status: statuses[index % statuses.count],
                division: divisions[index % divisions.count]
            )
        }
    }

    /// The printed cells of a row, written out here independently of `SummarySheet`.
    static func expectedCells(_ row: SummarySheet.Row, number: Int, provinceWide: Bool = false) -> [String] {
        var cells = [
            String(number), row.city, row.county, row.zone, row.enterpriseName, row.programme, row.direction,
            row.projectName, row.ownership, row.industryCategory, row.industry, "\(row.contactName) \(row.contactMobile)",
        ]
        if provinceWide { cells += [row.status, row.division] }
        return cells
    }

    static let headers = [
        "序号", "所在市", "所在县", "所在开发区", "企业（单位）名称", "申报专项", "申报方向", "项目名称",
        "企业（单位）性质", "行业分类", "所属行业", "项目联系人及手机",
    ]

    /// The 填表说明 of the 2023 round file.
    static let noticeInstructions: [String] = {
        let policies = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Policies")
        let data = try! Data(contentsOf: policies.appendingPathComponent("shanxi-2023.json"))
        return try! RoundLoader.load(data, file: "shanxi-2023.json") { try Data(contentsOf: policies.appendingPathComponent($0)) }.summaryInstructions
    }()

    /// What the printed 填表说明 must contain.
    static let instructions = [
        "填表说明：",
        "1.申报专项：填写集聚集约增效专项、核心竞争力提升专项、技术创新牵引专项、数字化智能化改造专项、企业增量提质专项其中一项。",
        "2.申报方向：按以下要求分别填写。",
        "3.项目名称：按以下要求分别填写。",
        "4.企业（单位）性质填写央企、省属国企、地方国企、民营企业、其他。",
        "5.行业分类填写传统优势产业、战略性新兴产业。",
        "6.所属行业：传统优势产业填写钢铁、有色、建材、焦化、化工、传统装备制造、食品、轻工、纺织其中一项；战略性新兴产业填写高端装备制造、新材料、废弃资源综合利用、现代煤化工、电子信息、新能源汽车、现代医药、数字产业其中一项。",
        "企业增量提质专项：填写营收增量奖励（行业）、消费品增量奖励（行业）、申报试点示范名称、“白名单”企业奖励（2022年6至12月、或2023年1至3月）其中一项。",
    ]
}
