from app.nowhere import x
