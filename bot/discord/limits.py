"""Discord's limits on what a bot may send (https://discord.com/developers/docs/resources/message).

Every page is one embed, well under the 10 embeds a message may carry.
"""

MESSAGE_CONTENT = 2000
EMBED_TOTAL = 6000  # all text of all embeds in one message together
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER_TEXT = 2048
AUTHOR_NAME = 256
AUTOCOMPLETE_CHOICES = 25
CHOICE_NAME = 100
CHOICE_VALUE = 100
COMMAND_DESCRIPTION = 100
OPTION_DESCRIPTION = 100
