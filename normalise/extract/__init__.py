"""Turn a page (HTML) or a text dump of one into ordered candidate blocks plus page metadata."""
