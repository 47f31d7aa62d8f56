type UserId = int
