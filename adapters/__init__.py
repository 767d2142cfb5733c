"""Platform adapters: translate platform payloads to neutral messages and back."""
