import Documents
import Foundation
import PolicyKit

/// The 申报汇总表 row (附件3 columns) of an application.
enum SummaryRows {
    static func row(_ application: PolicyKit.Application, round: Round, status: ApplicationStatus? = nil, division: String? = nil) -> SummarySheet.Row {
        let enterprise = application.enterprise
        let city = enterprise.city.flatMap(round.city)
        let county = city?.counties.first { $0.code == enterprise.county }
        let spec = round.directionSpec(application.direction, subDirection: application.subDirection)
        var row = SummarySheet.Row(
            city: city?.name ?? "", county: county?.name ?? "", zone: enterprise.zone ?? "", enterpriseName: enterprise.name ?? "",
            programme: spec?.programme.name ?? "", direction: spec?.fullName ?? application.direction, projectName: application.projectName ?? "",
            ownership: enterprise.ownership ?? "", industryCategory: enterprise.industryCategory ?? "", industry: enterprise.industry ?? "",
            contactName: application.contact.name ?? "", contactMobile: application.contact.mobile ?? "")
        row.status = status?.label ?? ""
        row.division = division.flatMap(round.division)?.name ?? ""
        return row
    }
}
