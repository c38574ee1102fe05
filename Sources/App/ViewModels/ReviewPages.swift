import Foundation
import PolicyKit
import Vapor

struct ReviewListPage: Encodable {
    struct Row: Encodable {
        var id: String
        var enterprise: String
        var creditCode: String
        var county: String
        var programme: String
        var direction: String
        var projectName: String
        /// The round's notice, shown when applications of several rounds are listed.
        var round: String?
        var status: String
        var statusLabel: String
        var submitted: String
        var blacklistSource: String?
    }

    struct PageLink: Encodable {
        var number: Int
        var href: String
        var current: Bool
    }

    var chrome: Chrome
    var filters: ReviewListQuery.Filters
    /// Each filter's `<option>`s as escaped HTML: a hundred-odd options looped over in Leaf were a third of the page's
    /// rendering time. Keyed by the select's name.
    var options: [String: String]
    /// The rows as escaped HTML: the loop over 50 rows was half of Leaf's time on this page, the hottest of the reviewers'.
    var rowsHTML: String
    var total: Int
    var pages: [PageLink]

    init(chrome: Chrome, round: Round, roundChoices: [SelectOption], scope: AccessScope, filters: ReviewListQuery.Filters, rows: [ReviewListQuery.Row],
         total: Int, page: Int, pageSize: Int, rounds: RoundCatalog) {
        self.chrome = chrome
        self.filters = filters
        let choices = ReviewFilterChoices(round: round, scope: scope, filters: filters)
        let sizes = ReviewListQuery.pageSizes.map { SelectOption(value: String($0), label: "\($0) 条/页", selected: $0 == pageSize) }
        // With one round opened there is nothing to tell apart.
        let severalRounds = roundChoices.count > 1
        options = ["round": severalRounds ? SelectOption.html(roundChoices) : "", "status": SelectOption.html(choices.statuses), "programme": SelectOption.html(choices.programmes),
                   "direction": SelectOption.html(choices.directions), "county": SelectOption.html(choices.counties),
                   "authority": SelectOption.html(choices.authorities), "industry": SelectOption.html(choices.industries),
                   "size": SelectOption.html(sizes)]
        let countyNames = Dictionary(uniqueKeysWithValues: round.locations.cities.flatMap(\.counties).map { ($0.code, $0.name) })
        rowsHTML = Self.html(rows.map { row in
            let rowRound = rounds[row.round_code] ?? round
            let spec = rowRound.directionSpec(row.direction, subDirection: row.sub_direction)
            let status = ApplicationStatus(rawValue: row.status)
            return Row(id: row.id.uuidString, enterprise: row.name, creditCode: row.credit_code, county: row.county.flatMap { countyNames[$0] } ?? "",
                       programme: spec?.programme.name ?? "", direction: spec?.fullName ?? row.direction, projectName: row.project_name ?? "",
                       round: severalRounds ? rowRound.noticeNumber : nil, status: row.status, statusLabel: status?.label ?? row.status,
                       submitted: row.submitted_at.map { DateText.minute($0, timeZone: rowRound.timeZone) } ?? "", blacklistSource: row.blacklist_source)
        })
        self.total = total
        let pageCount = max(1, (total + pageSize - 1) / pageSize)
        var query = URLComponents()
        pages = (1...pageCount).map { number in
            var items: [URLQueryItem] = []
            for (name, value) in [("round", filters.round), ("status", filters.status), ("programme", filters.programme), ("direction", filters.direction),
                                  ("county", filters.county), ("authority", filters.authority), ("industry", filters.industry), ("keyword", filters.keyword)] {
                if let value, !value.isEmpty { items.append(URLQueryItem(name: name, value: value)) }
            }
            items.append(URLQueryItem(name: "size", value: String(pageSize)))
            items.append(URLQueryItem(name: "page", value: String(number)))
            query.queryItems = items
            return PageLink(number: number, href: SiteURL.review.path + "?" + (query.percentEncodedQuery ?? ""), current: number == page)
        }
    }
}

/// The choices of the reviewers' filters (and the statistics' ones), the current filters selected.
struct ReviewFilterChoices {
    var statuses: [SelectOption]
    var programmes: [SelectOption]
    var directions: [SelectOption]
    var counties: [SelectOption]
    /// Empty for a reviewer of one authority: the 审核单位 filter is for those who see several.
    var authorities: [SelectOption]
    var industries: [SelectOption]

    init(round: Round, scope: AccessScope, filters: ReviewListQuery.Filters) {
        statuses = ApplicationStatus.allCases.filter { $0 != .draft }.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == filters.status) }
        programmes = round.programmes.map { SelectOption(value: $0.id, label: $0.name, selected: $0.id == filters.programme) }
        directions = round.allDirections.flatMap { _, direction -> [SelectOption] in
            guard let subs = direction.subDirections else {
                return [SelectOption(value: direction.id, label: direction.name, selected: direction.id == filters.direction)]
            }
            return subs.map { SelectOption(value: "\(direction.id)/\($0.id)", label: "\(direction.name)—\($0.name)", selected: "\(direction.id)/\($0.id)" == filters.direction) }
        }
        // A city reviewer filters among its own counties only.
        let visibleCounties: Set<String>? = switch scope {
        case .authority(let id):
            Set(round.locations.cities.first { $0.code == id }?.counties.map(\.code)
                ?? round.locations.specialAuthorities.first { $0.id == id }?.hostCounties ?? [])
        default: nil
        }
        counties = round.locations.cities.flatMap { city in
            city.counties.filter { visibleCounties?.contains($0.code) ?? true }
                .map { SelectOption(value: $0.code, label: "\(city.name) \($0.name)", selected: $0.code == filters.county) }
        }
        if case .authority = scope {
            authorities = []
        } else {
            authorities = round.reviewAuthorities.map { SelectOption(value: $0.id, label: $0.name, selected: $0.id == filters.authority) }
        }
        industries = round.vocabularies.industryCategories.flatMap { category in
            category.industries.map { SelectOption(value: $0, label: $0, selected: $0 == filters.industry, group: category.name) }
        }
    }
}

extension ReviewListPage {
    static func html(_ rows: [Row]) -> String {
        var html = ""
        html.reserveCapacity(rows.count * 700)
        for row in rows {
            let e = HTML.escaped
            html += "<tr><td>\(e(row.enterprise))"
            if let source = row.blacklistSource, !source.isEmpty {
                html += " <span class=\"tag tag-blacklisted\" title=\"\(e(source))\">失信</span>"
            }
            html += "<div class=\"muted\">\(e(row.creditCode))</div></td><td>\(e(row.county))</td><td>\(e(row.programme))</td>"
            html += "<td>\(e(row.direction))" + (row.round.map { "<div class=\"muted\">\(e($0))</div>" } ?? "") + "</td><td>\(e(row.projectName))</td>"
            html += "<td><span class=\"tag status-\(e(row.status))\">\(e(row.statusLabel))</span></td><td>\(e(row.submitted))</td>"
            html += "<td><a href=\"\(SiteURL.review.path)/applications/\(e(row.id))\">审核</a></td></tr>"
        }
        return html
    }
}

struct ReviewPage: Encodable {
    struct FileGroup: Encodable {
        var title: String
        var files: [ApplicationPage.UploadedFile]
    }

    struct Inspection: Encodable {
        var compliant: Bool
        var description: String
        var leader: String
        var members: String
        var inspectedOn: String
        var photos: [Photo]
    }

    struct Photo: Encodable {
        var href: String
        var name: String
    }

    struct NoteInput: Encodable {
        var index: Int
        var text: String
        var error: String?
        var options: [SelectOption]
    }

    struct ReturnFormView: Encodable {
        var comment: String
        var notes: [NoteInput]
    }

    var chrome: Chrome
    var id: String
    var enterprise: String
    var creditCode: String
    var programme: String
    var direction: String
    var status: String
    var statusLabel: String
    var notice: String?
    var error: String?
    var errors: [String: String]
    var sections: [FormSection]
    var files: [FileGroup]
    var check: SelfCheckPanel
    /// The imported 失信名单 naming the enterprise, for the warning above the page.
    var blacklistSources: [String]
    /// The enterprise's 链主/链上 revenue rewards of the round's year on the imported lists (only for the directions
    /// the round's 不重复支持 rule names), and that rule with its clause.
    var chainRewards: [String]
    var chainRewardRule: String?
    var inspection: Inspection?
    var inspectionForm: ReviewController.InspectionForm
    var photoLimit: String
    var canDecide: Bool
    var divisionCanDecide: Bool
    var withdrawalRequested: Bool
    /// The enterprise's reason, from the history, while a 申请撤回 waits for the city.
    var withdrawalReason: String?
    /// Sent with each form of the page, so that a repeated post does nothing a second time.
    var requestKey: String
    /// The 情况表 row (附件2 二（一）): where to phone and visit for the 现场核查.
    var situation: ForwardingCandidatesPage.Cells
    /// The 汇总批次 the application went to the province in, with the city's 审核意见.
    var forwarding: ForwardingSummary?

    struct ForwardingSummary: Encodable {
        var href: String
        var authority: String
        var forwardedAt: String
        var opinion: String
    }
    var versions: [VersionSummary]
    /// What changed since the city last returned the application.
    var revision: RevisionPanel?
    var returnTargets: [SelectOption]
    var returnForm: ReturnFormView
    var timeline: [TimelineEntry]
}
