"""A short hand-written news story and a reader comment, shared by the container tests of
tests/boilerplate and tests/extract."""

COUNCIL_STORY = [
    "The regional council approved the new cycling lanes on Tuesday evening, after a debate that "
    "lasted almost four hours and drew a larger crowd than any meeting this year.",
    "Work on the first stretch, along the river embankment, is due to begin in March and should "
    "take about eight weeks, according to the planning department's published schedule.",
    "Shopkeepers on the embankment had asked for deliveries to remain possible in the mornings, "
    "and the final plan keeps a loading zone open until eleven o'clock on weekdays.",
    "Residents of the old quarter, who had opposed the first route because it crossed the market, "
    "said they were satisfied with the quieter streets that were chosen in the end.",
]
READER_COMMENT = ("I have cycled along that river for twenty years and I honestly think the council has "
                  "wasted money again, but we will see how it works out once the lanes are painted, comment {n}.")
