"""The rules of contactd: contacts, principals, apps. No HTTP and no SQL here."""
