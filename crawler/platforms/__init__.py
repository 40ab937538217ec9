"""The platforms (content-management systems) association sites run on, read on their own terms:
pagers written by scripts, frames, anti-bot challenges. Pure functions of a page's text and URL,
shared by the spider and `kexie add-site`."""
