"""Version stamped on every record so stored records can be re-normalised selectively."""
PIPELINE_VERSION = "0.1.0"
