NAME = '日本語'; from app.nowhere import u
