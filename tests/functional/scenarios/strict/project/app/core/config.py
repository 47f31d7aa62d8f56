class Settings:
    pass


def get_settings():
    return Settings()
