import Foundation

/// A direction as an applicant meets it: the direction merged with its chosen sub-direction.
public struct DirectionSpec: Sendable {
    public var programme: Programme
    public var direction: Direction
    public var subDirection: SubDirection?

    /// The name the notice writes on covers and summary sheets: “新型工业化载体—国家级绿色园区”.
    public var fullName: String {
        subDirection.map { "\(direction.name)—\($0.name)" } ?? direction.name
    }

    public var fields: [FieldSpec] {
        (direction.fields ?? []) + (subDirection?.fields ?? [])
    }

    public var ownAttachments: [AttachmentSpec] {
        (direction.attachments ?? []) + (subDirection?.attachments ?? [])
    }

    public var commitments: [Commitment] { direction.commitments ?? [] }

    public func field(_ id: String) -> FieldSpec? {
        fields.first { $0.id == id }
    }
}

/// 审核单位: a city bureau (id = city code) or a special authority such as the 综改示范区.
public struct ReviewAuthority: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var name: String
    public var shortName: String
}

extension Round {
    public var allDirections: [(programme: Programme, direction: Direction)] {
        programmes.flatMap { programme in programme.directions.map { (programme, $0) } }
    }

    public func programme(containing directionID: String) -> Programme? {
        programmes.first { $0.directions.contains { $0.id == directionID } }
    }

    public func directionSpec(_ directionID: String, subDirection subID: String?) -> DirectionSpec? {
        guard let programme = programme(containing: directionID),
              let direction = programme.directions.first(where: { $0.id == directionID }) else { return nil }
        guard let subID else {
            return direction.subDirections == nil ? DirectionSpec(programme: programme, direction: direction) : nil
        }
        guard let sub = direction.subDirections?.first(where: { $0.id == subID }) else { return nil }
        return DirectionSpec(programme: programme, direction: direction, subDirection: sub)
    }

    /// The attachments of 附件2 四 in the notice's order: (一)–(五) then the direction's own (六).
    public func attachments(for spec: DirectionSpec) -> [AttachmentSpec] {
        generalAttachments + spec.ownAttachments
    }

    public func division(_ id: String) -> Division? {
        divisions.first { $0.id == id }
    }

    public func city(_ code: String) -> City? {
        locations.cities.first { $0.code == code }
    }

    public var industries: [String] {
        vocabularies.industryCategories.flatMap(\.industries)
    }

    public func category(ofIndustry industry: String) -> String? {
        vocabularies.industryCategories.first { $0.industries.contains(industry) }?.name
    }

    /// The options a choice field offers, resolving vocabularies named by `optionsFrom`.
    public func options(for field: FieldSpec) -> [String] {
        switch field.optionsFrom {
        case "pilotCategories": vocabularies.pilotCategories.map(\.name)
        case "whitelistPeriods": vocabularies.whitelistPeriods.map(\.name)
        default: field.options ?? []
        }
    }

    public var reviewAuthorities: [ReviewAuthority] {
        locations.cities.map { ReviewAuthority(id: $0.code, name: "\($0.name)工信局", shortName: $0.name) }
            + locations.specialAuthorities.map { ReviewAuthority(id: $0.id, name: $0.name, shortName: $0.shortName) }
    }

    /// 属地原则: the 综改示范区管委会 reviews enterprises inside the zone, the city bureau all others.
    public func reviewAuthority(for enterprise: EnterpriseProfile) -> ReviewAuthority? {
        if enterprise.inTransformationZone == true, let zone = locations.specialAuthorities.first {
            return ReviewAuthority(id: zone.id, name: zone.name, shortName: zone.shortName)
        }
        guard let code = enterprise.city, let city = city(code) else { return nil }
        return ReviewAuthority(id: city.code, name: "\(city.name)工信局", shortName: city.name)
    }
}
