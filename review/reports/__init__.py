"""Printable documents built from the analysis: PDFs a delegate can take into the meeting room."""
