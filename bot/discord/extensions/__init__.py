"""Bot features, one extension (cog) each, loaded by ``ClaimdeskBot.setup_hook``."""
