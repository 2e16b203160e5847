"""auditor: audits a school's official social media accounts against its Social Media Policy."""

__version__ = "0.1.0"
