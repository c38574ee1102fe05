import Fluent

struct CreateEnterprise: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(Enterprise.schema)
            .id()
            .field("credit_code", .string, .required)
            .field("name", .string, .required)
            .field("contact_name", .string, .required)
            .field("mobile", .string, .required)
            .field("city", .string)
            .field("county", .string)
            .field("zone", .string)
            .field("in_transformation_zone", .bool, .required)
            .field("ownership", .string)
            .field("industry_category", .string)
            .field("industry", .string)
            .field("independent_legal_person", .bool)
            .field("implemented_in_shanxi", .bool)
            .field("no_other_provincial_funds", .bool)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "credit_code")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(Enterprise.schema).delete()
    }
}
