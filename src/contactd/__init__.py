"""contactd: a self-hostable contact service that speaks the TeleCMI contact APIs."""

__all__ = ["__version__"]

__version__ = "0.1.0"
