import Vapor
import Fluent
import FluentSQLiteDriver
import FluentPostgresDriver
print("stub")
