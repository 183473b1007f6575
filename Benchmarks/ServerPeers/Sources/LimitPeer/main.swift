import Hummingbird
import PostgresNIO
import SQLiteNIO
print("stub")
