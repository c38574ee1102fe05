import Documents
import Foundation

/// 报送省厅: the approved applications not yet forwarded, with their 附件3 columns, and the batch form.
struct ForwardingCandidatesPage: Encodable {
    struct Row: Encodable {
        var id: String
        var number: Int
        var cells: Cells

        init(id: String, number: Int, cells row: SummarySheet.Row) {
            self.id = id
            self.number = number
            cells = Cells(city: row.city, county: row.county, zone: row.zone, enterpriseName: row.enterpriseName, programme: row.programme,
                          direction: row.direction, projectName: row.projectName, ownership: row.ownership, industryCategory: row.industryCategory,
                          industry: row.industry, contactName: row.contactName, contactMobile: row.contactMobile)
        }
    }

    /// The 附件3 columns as the page shows them.
    struct Cells: Codable, Sendable {
        var city, county, zone, enterpriseName, programme, direction, projectName, ownership, industryCategory, industry, contactName, contactMobile: String
    }
    var chrome: Chrome
    var authority: String
    var rows: [Row]
    var error: String?
    var opinion: String
    var requestKey = UUID().uuidString
}

/// A forwarded 汇总批次 with its 审核意见 and rows.
struct ForwardingBatchPage: Encodable {
    var chrome: Chrome
    var id: String
    var authority: String
    var opinion: String
    var forwardedAt: String
    var rows: [ForwardingCandidatesPage.Row]
}
